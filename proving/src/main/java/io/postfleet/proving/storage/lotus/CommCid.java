package io.postfleet.proving.storage.lotus;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import io.postfleet.proofs.merkle.Node;

/**
 * comm_r as Lotus writes it on the chain and in JSON: a CIDv1 with the codec fil-commitment-sealed (0xf102) and the
 * multihash poseidon-bls12_381-a2-fc1 (0xb401; go-multihash calls it POSEIDON_BLS12_381_A1_FC1) whose 32-byte digest is
 * comm_r as stored (little-endian field element bytes), in the base32 lower multibase ({@code b...}): every such
 * string starts {@code bagboea4b5abc}. Decoding accepts exactly that; anything else is refused saying what it is.
 */
public final class CommCid {

    /** Multicodec fil-commitment-sealed. */
    public static final int FIL_COMMITMENT_SEALED = 0xf102;
    /** Multihash poseidon-bls12_381-a2-fc1. */
    public static final int POSEIDON_BLS12_381_A2_FC1 = 0xb401;

    private static final char BASE32_LOWER = 'b';
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    /** version 1, codec, multihash code, digest length: the 8 bytes before comm_r. */
    private static final byte[] PREFIX = prefix();

    private CommCid() {
    }

    /** The CID string of {@code commR} (32 bytes). */
    public static String encode(byte[] commR) {
        if (commR == null || commR.length != Node.SIZE) {
            throw new IllegalArgumentException("comm_r is 32 bytes, got " + (commR == null ? "none" : commR.length));
        }
        byte[] cid = Arrays.copyOf(PREFIX, PREFIX.length + Node.SIZE);
        System.arraycopy(commR, 0, cid, PREFIX.length, Node.SIZE);
        return BASE32_LOWER + base32(cid);
    }

    /**
     * comm_r from its CID string.
     *
     * @throws IllegalArgumentException saying what the string is instead: another multibase, another CID version,
     *                                  codec or multihash, a digest that is not 32 bytes, bytes left over
     */
    public static byte[] decode(String cid) {
        if (cid == null || cid.isEmpty()) {
            throw new IllegalArgumentException("empty CID");
        }
        if (cid.startsWith("Qm")) {
            throw new IllegalArgumentException("'" + cid + "' is a CIDv0 (a sha2-256 dag-pb CID), not a sealed sector CID");
        }
        if (cid.charAt(0) != BASE32_LOWER) {
            throw new IllegalArgumentException("'" + cid + "' is not in the base32 lower multibase (prefix 'b', as Lotus"
                    + " writes CIDs); its prefix is '" + cid.charAt(0) + "'");
        }
        byte[] b = unbase32(cid.substring(1), cid);
        int[] at = {0};
        long version = varint(b, at, "CID version", cid);
        if (version != 1) {
            throw new IllegalArgumentException("'" + cid + "' is a CIDv" + version + ", not a CIDv1");
        }
        long codec = varint(b, at, "codec", cid);
        if (codec != FIL_COMMITMENT_SEALED) {
            throw new IllegalArgumentException("'" + cid + "' has the codec 0x" + Long.toHexString(codec)
                    + (codec == 0xf101 ? " (fil-commitment-unsealed: a comm_d)" : "")
                    + ", not fil-commitment-sealed (0xf102): not a sealed sector CID");
        }
        long hash = varint(b, at, "multihash code", cid);
        if (hash != POSEIDON_BLS12_381_A2_FC1) {
            throw new IllegalArgumentException("'" + cid + "' has the multihash 0x" + Long.toHexString(hash)
                    + ", not poseidon-bls12_381-a2-fc1 (0xb401)");
        }
        long length = varint(b, at, "digest length", cid);
        if (length != Node.SIZE) {
            throw new IllegalArgumentException("'" + cid + "' has a digest of " + length + " bytes, comm_r is 32");
        }
        int left = b.length - at[0];
        if (left != Node.SIZE) {
            throw new IllegalArgumentException("'" + cid + "' holds " + left + " digest bytes where its header says 32");
        }
        return Arrays.copyOfRange(b, at[0], b.length);
    }

    private static byte[] prefix() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long v : new long[] {1, FIL_COMMITMENT_SEALED, POSEIDON_BLS12_381_A2_FC1, Node.SIZE}) {
            for (long x = v; ; x >>>= 7) {
                if (x < 0x80) {
                    out.write((int) x);
                    break;
                }
                out.write((int) (x & 0x7f) | 0x80);
            }
        }
        return out.toByteArray();
    }

    /** An unsigned LEB128 varint as multiformats writes it: at most 9 bytes, minimally encoded. */
    private static long varint(byte[] b, int[] at, String what, String cid) {
        long v = 0;
        for (int i = 0; i < 9; i++) {
            if (at[0] >= b.length) {
                throw new IllegalArgumentException("'" + cid + "' ends inside its " + what);
            }
            int x = b[at[0]++] & 0xff;
            v |= (long) (x & 0x7f) << (7 * i);
            if ((x & 0x80) == 0) {
                if (x == 0 && i > 0) {
                    throw new IllegalArgumentException("'" + cid + "': its " + what + " is not minimally encoded");
                }
                return v;
            }
        }
        throw new IllegalArgumentException("'" + cid + "': its " + what + " is longer than 9 bytes");
    }

    /** RFC 4648 base32, lower case, without padding. */
    private static String base32(byte[] b) {
        StringBuilder s = new StringBuilder((b.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                s.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            s.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return s.toString();
    }

    private static byte[] unbase32(String text, String cid) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = ALPHABET.indexOf(text.charAt(i));
            if (v < 0) {
                throw new IllegalArgumentException("'" + cid + "' is not base32 lower: '" + text.charAt(i)
                        + "' at position " + (i + 1));
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new IllegalArgumentException("'" + cid + "' is not base32 lower: it ends with stray bits");
        }
        return out.toByteArray();
    }
}
