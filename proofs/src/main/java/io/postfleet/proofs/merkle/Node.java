package io.postfleet.proofs.merkle;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A tree node, commitment or randomness: 32 bytes, the little-endian canonical repr of a BLS12-381 scalar. Upstream
 * panics on a value at or above the modulus, so everything read from outside is checked here and never reduced.
 */
public final class Node {

    public static final int SIZE = 32;

    /** The BLS12-381 scalar field modulus p, little-endian bytes. */
    private static final byte[] MODULUS_LE = HexFormat.of().parseHex(
            "01000000fffffffffe5bfeff02a4bd5305d8a10908d83933487d9d2953a7ed73");

    private Node() {
    }

    /** True when the 32 bytes at {@code off} are an integer below p. */
    public static boolean isCanonical(byte[] b, int off) {
        for (int i = SIZE - 1; i >= 0; i--) {
            int x = b[off + i] & 0xff;
            int m = MODULUS_LE[i] & 0xff;
            if (x != m) {
                return x < m;
            }
        }
        return false;
    }

    public static boolean isCanonical(byte[] node) {
        return node != null && node.length == SIZE && isCanonical(node, 0);
    }

    /** Index of the first non-canonical element among {@code count} elements at {@code off}, or -1. */
    public static long firstNonCanonical(byte[] b, int off, long count) {
        for (long i = 0; i < count; i++) {
            if (!isCanonical(b, Math.toIntExact(off + i * SIZE))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses exactly 64 hex digits (no 0x) into a canonical element; {@code what} names the value in the message.
     *
     * @throws IllegalArgumentException when the text is not 64 hex digits or the value is not below p
     */
    public static byte[] parseHex(String text, String what) {
        if (text == null || text.length() != 64) {
            throw new IllegalArgumentException(what + " must be exactly 64 hex digits (32 bytes little-endian, no 0x), got "
                    + (text == null ? "nothing" : text.length() + " characters"));
        }
        byte[] b;
        try {
            b = HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not hex: " + text);
        }
        if (!isCanonical(b, 0)) {
            throw new IllegalArgumentException(what + " " + text + " is not a canonical BLS12-381 field element"
                    + " (little-endian value >= p); it is not reduced: pass the canonical value");
        }
        return b;
    }

    public static String hex(byte[] node) {
        return HexFormat.of().formatHex(node);
    }

    public static String hex(byte[] b, int off) {
        return HexFormat.of().formatHex(b, off, off + SIZE);
    }

    public static boolean equal(byte[] a, int aOff, byte[] b, int bOff) {
        return Arrays.equals(a, aOff, aOff + SIZE, b, bOff, bOff + SIZE);
    }

    public static byte[] copy(byte[] b, int off) {
        return Arrays.copyOfRange(b, off, off + SIZE);
    }
}
