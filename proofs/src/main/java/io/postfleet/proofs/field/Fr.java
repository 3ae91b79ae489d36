package io.postfleet.proofs.field;

import java.math.BigInteger;
import java.util.HexFormat;

/**
 * An element of the BLS12-381 scalar field Fr (p = 0x73eda753...00000001, 255 bits), held in Montgomery form on four
 * 64-bit limbs. The external encoding is Filecoin's (blstrs {@code Scalar::to_repr}): 32 bytes, little-endian,
 * canonical, i.e. the integer is below p; decoding anything else is refused, never reduced.
 *
 * <p>Instances are immutable values. Code that hashes millions of elements uses the static methods on
 * {@code long[]} limbs instead (four limbs per element at an offset, Montgomery form, little-endian limb order): they
 * allocate nothing. Montgomery form means the limbs hold {@code a * 2^256 mod p}; {@link #decode} and
 * {@link #encode} convert. The word arithmetic behind both lives in the package-private {@code MontgomeryLimbs}.
 */
public final class Fr {

    /** Bytes of the canonical encoding. */
    public static final int BYTES = 32;
    /** 64-bit limbs per element in the {@code long[]} methods. */
    public static final int LIMBS = MontgomeryLimbs.LIMBS;

    /** The modulus p. */
    public static final BigInteger MODULUS = MontgomeryLimbs.MODULUS;

    public static final Fr ZERO = new Fr(0, 0, 0, 0);
    public static final Fr ONE = fromLimbs(MontgomeryLimbs.R1, 0);

    // Montgomery limbs, least significant first
    private final long l0;
    private final long l1;
    private final long l2;
    private final long l3;

    private Fr(long l0, long l1, long l2, long l3) {
        this.l0 = l0;
        this.l1 = l1;
        this.l2 = l2;
        this.l3 = l3;
    }

    private static Fr of(long[] r) {
        return new Fr(r[0], r[1], r[2], r[3]);
    }

    private long[] limbs() {
        return new long[] {l0, l1, l2, l3};
    }

    // ---------------------------------------------------------------------------------------------------------------
    // values

    /** The field element equal to {@code v} (negative values map to p - |v|). */
    public static Fr fromLong(long v) {
        Fr r = fromBigInteger(BigInteger.valueOf(v).mod(MODULUS));
        return r;
    }

    /**
     * The field element equal to {@code v}, which must lie in [0, p).
     *
     * @throws NonCanonicalElementException if it does not
     */
    public static Fr fromBigInteger(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(MODULUS) >= 0) {
            throw new NonCanonicalElementException("the value " + v.toString(16) + " is not in [0, p) of BLS12-381 Fr");
        }
        long[] r = MontgomeryLimbs.limbsOf(v);
        MontgomeryLimbs.toMontgomery(r, 0);
        return of(r);
    }

    /** {@code v mod p}: for constants and tests, never for decoding external input (which must be refused). */
    public static Fr reduce(BigInteger v) {
        return fromBigInteger(v.mod(MODULUS));
    }

    /**
     * Decodes the canonical 32-byte little-endian encoding at {@code in[off]}.
     *
     * @param what names the value for the error message, e.g. {@code "comm_r of sector 42"}
     * @throws NonCanonicalElementException naming {@code what} when the integer is {@code >= p}
     */
    public static Fr fromBytes(byte[] in, int off, String what) {
        long[] r = new long[LIMBS];
        decode(in, off, r, 0, what);
        return of(r);
    }

    /** {@link #fromBytes(byte[], int, String)} of a whole 32-byte array. */
    public static Fr fromBytes(byte[] in, String what) {
        if (in.length != BYTES) {
            throw new IllegalArgumentException(what + ": a BLS12-381 Fr element is 32 bytes, got " + in.length);
        }
        return fromBytes(in, 0, what);
    }

    /** Writes the canonical 32-byte little-endian encoding at {@code out[off]}. */
    public void toBytes(byte[] out, int off) {
        long[] a = limbs();
        encode(a, 0, out, off);
    }

    /** The canonical 32-byte little-endian encoding. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        toBytes(out, 0);
        return out;
    }

    /** The integer in [0, p) this element stands for. */
    public BigInteger toBigInteger() {
        long[] a = limbs();
        MontgomeryLimbs.toPlain(a, 0, a, 0);
        return MontgomeryLimbs.plainValue(a[0], a[1], a[2], a[3]);
    }

    /** Writes the Montgomery limbs at {@code out[off]} for the {@code long[]} methods. */
    public void toLimbs(long[] out, int off) {
        out[off] = l0;
        out[off + 1] = l1;
        out[off + 2] = l2;
        out[off + 3] = l3;
    }

    /** The element whose Montgomery limbs are at {@code in[off]} (must be reduced, as all methods here leave them). */
    public static Fr fromLimbs(long[] in, int off) {
        return new Fr(in[off], in[off + 1], in[off + 2], in[off + 3]);
    }

    public boolean isZero() {
        return (l0 | l1 | l2 | l3) == 0;
    }

    public Fr add(Fr b) {
        long[] r = limbs();
        add(r, 0, b.limbs(), 0, r, 0);
        return of(r);
    }

    public Fr sub(Fr b) {
        long[] r = limbs();
        sub(r, 0, b.limbs(), 0, r, 0);
        return of(r);
    }

    public Fr neg() {
        return ZERO.sub(this);
    }

    public Fr mul(Fr b) {
        long[] r = limbs();
        mul(r, 0, b.limbs(), 0, r, 0);
        return of(r);
    }

    public Fr square() {
        long[] r = limbs();
        square(r, 0, r, 0);
        return of(r);
    }

    /** {@code this^e} for a non-negative exponent. */
    public Fr pow(BigInteger e) {
        if (e.signum() < 0) {
            throw new IllegalArgumentException("negative exponent " + e + ": use inverse().pow(-e)");
        }
        long[] base = limbs();
        long[] acc = MontgomeryLimbs.R1.clone();
        for (int i = e.bitLength() - 1; i >= 0; i--) {
            square(acc, 0, acc, 0);
            if (e.testBit(i)) {
                mul(acc, 0, base, 0, acc, 0);
            }
        }
        return of(acc);
    }

    public Fr pow(long e) {
        return pow(BigInteger.valueOf(e));
    }

    /**
     * The multiplicative inverse (Fermat: {@code this^(p-2)}).
     *
     * @throws ArithmeticException for zero
     */
    public Fr inverse() {
        if (isZero()) {
            throw new ArithmeticException("zero has no inverse in Fr");
        }
        return pow(MODULUS.subtract(BigInteger.TWO));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fr f && f.l0 == l0 && f.l1 == l1 && f.l2 == l2 && f.l3 == l3;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(l0 ^ l1 * 31 ^ l2 * 961 ^ l3 * 29791);
    }

    /** {@code 0x} and the big-endian hex of the integer, as the specification prints field values. */
    @Override
    public String toString() {
        return "0x" + toBigInteger().toString(16);
    }

    /** The little-endian hex of the canonical encoding (64 digits), as tools print 32-byte values. */
    public String toHex() {
        return HexFormat.of().formatHex(toBytes());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // allocation-free limb arithmetic (Montgomery form, four limbs at an offset; inputs and outputs reduced below p;
    // the output may alias an input)

    /**
     * Decodes 32 little-endian bytes at {@code in[off]} into Montgomery limbs at {@code out[outOff]}.
     *
     * @return false (writing nothing) when the value is not canonical
     */
    public static boolean tryDecode(byte[] in, int off, long[] out, int outOff) {
        return MontgomeryLimbs.tryDecode(in, off, out, outOff);
    }

    /**
     * Decodes 32 little-endian bytes at {@code in[off]} into Montgomery limbs at {@code out[outOff]}.
     *
     * @param what names the value for the error message
     * @throws NonCanonicalElementException naming {@code what} when the value is {@code >= p}
     */
    public static void decode(byte[] in, int off, long[] out, int outOff, String what) {
        if (!tryDecode(in, off, out, outOff)) {
            throw nonCanonical(in, off, what);
        }
    }

    /** The error for a non-canonical encoding at {@code in[off]}, naming {@code what}. */
    public static NonCanonicalElementException nonCanonical(byte[] in, int off, String what) {
        return new NonCanonicalElementException(what + " is not a canonical BLS12-381 Fr element (little-endian value "
                + HexFormat.of().formatHex(in, off, off + BYTES) + " is >= p); Filecoin refuses such values:"
                + " check that the data is a sealed replica / tree file and not corrupt");
    }

    /** Whether the 32 little-endian bytes at {@code in[off]} encode a value below p. */
    public static boolean isCanonical(byte[] in, int off) {
        return MontgomeryLimbs.isCanonical(in, off);
    }

    /** Encodes the Montgomery limbs at {@code a[ai]} as 32 canonical little-endian bytes at {@code out[off]}. */
    public static void encode(long[] a, int ai, byte[] out, int off) {
        MontgomeryLimbs.encode(a, ai, out, off);
    }

    /** Sets the limbs at {@code r[ri]} to the Montgomery form of {@code v} (0 <= v < 2^63). */
    public static void setLong(long[] r, int ri, long v) {
        MontgomeryLimbs.setLong(r, ri, v);
    }

    /** {@code r = a + b mod p}. */
    public static void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        MontgomeryLimbs.add(a, ai, b, bi, r, ri);
    }

    /** {@code r = a - b mod p}. */
    public static void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        MontgomeryLimbs.sub(a, ai, b, bi, r, ri);
    }

    /** {@code r = a * b}. */
    public static void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        MontgomeryLimbs.mul(a, ai, b, bi, r, ri);
    }

    /**
     * Converts the Montgomery limbs at {@code a[ai]} into a coefficient for {@link #dot} (the value times 2^64, so
     * that dot's single reduction by 2^320 lands back in Montgomery form).
     */
    public static void toDotCoefficient(long[] a, int ai, long[] r, int ri) {
        MontgomeryLimbs.toDotCoefficient(a, ai, r, ri);
    }

    /**
     * {@code r = sum_{j<n} c_j * s_j} with {@code c_j} at {@code coefficients[ci + 4j]} (prepared by
     * {@link #toDotCoefficient}) and {@code s_j} at {@code s[si + 4j]}: a matrix row times a state vector with one
     * reduction for the whole row instead of one per product. {@code r} may alias {@code s} only if it does not
     * overlap any element still to be read.
     */
    public static void dot(long[] coefficients, int ci, long[] s, int si, int n, long[] r, int ri) {
        MontgomeryLimbs.dot(coefficients, ci, s, si, n, r, ri);
    }

    /** {@code r = a * a}, cheaper than {@code mul(a, a)}. */
    public static void square(long[] a, int ai, long[] r, int ri) {
        MontgomeryLimbs.square(a, ai, r, ri);
    }

    /** {@code r = a^5}, Poseidon's S-box; {@code scratch[si]} holds one element of working space. */
    public static void pow5(long[] a, int ai, long[] r, int ri, long[] scratch, int si) {
        MontgomeryLimbs.pow5(a, ai, r, ri, scratch, si);
    }

    /** Copies one element. */
    public static void copy(long[] a, int ai, long[] r, int ri) {
        MontgomeryLimbs.copy(a, ai, r, ri);
    }

    /** Whether the limbs at {@code a[ai]} and {@code b[bi]} hold the same element. */
    public static boolean equal(long[] a, int ai, long[] b, int bi) {
        return MontgomeryLimbs.equal(a, ai, b, bi);
    }
}
