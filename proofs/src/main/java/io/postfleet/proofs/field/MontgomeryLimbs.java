package io.postfleet.proofs.field;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * The limb kernels behind {@link Fr}: Montgomery arithmetic on four 64-bit limbs at an offset in a {@code long[]}
 * (least significant first), allocation-free so that hashing millions of elements creates no garbage. Inputs and
 * outputs are reduced below p and an output may alias an input unless a method says otherwise. {@link Fr} is the
 * public face of these methods; this class holds the word-level arithmetic so that the value type reads alone.
 */
final class MontgomeryLimbs {

    static final int LIMBS = 4;

    /** The modulus p of BLS12-381 Fr; its limbs are P0..P3. */
    static final BigInteger MODULUS =
            new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

    static final long P0 = 0xffffffff00000001L;
    static final long P1 = 0x53bda402fffe5bfeL;
    static final long P2 = 0x3339d80809a1d805L;
    static final long P3 = 0x73eda753299d7d48L;
    /** -p^-1 mod 2^64. */
    static final long INV = 0xfffffffeffffffffL;
    /** R^2 mod p with R = 2^256: multiplying by it moves a plain value into Montgomery form. */
    static final long[] R2 = limbsOf(BigInteger.ONE.shiftLeft(512).mod(MODULUS));
    /** R mod p: Montgomery form of 1. */
    static final long[] R1 = limbsOf(BigInteger.ONE.shiftLeft(256).mod(MODULUS));

    /** Montgomery form of 2^64, turning a value into a {@link #dot} coefficient. */
    private static final long[] DOT_FACTOR = limbsOf(BigInteger.ONE.shiftLeft(64 + 256).mod(MODULUS));
    private static final long M32 = 0xffffffffL;

    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        if (P0 * -INV != 1 || !MODULUS.equals(plainValue(P0, P1, P2, P3))) {
            throw new AssertionError("Fr constants are inconsistent");
        }
    }

    private MontgomeryLimbs() {
    }

    /**
     * Decodes 32 little-endian bytes at {@code in[off]} into Montgomery limbs at {@code out[outOff]}.
     *
     * @return false (writing nothing) when the value is not canonical
     */
    static boolean tryDecode(byte[] in, int off, long[] out, int outOff) {
        long a0 = (long) LE_LONG.get(in, off);
        long a1 = (long) LE_LONG.get(in, off + 8);
        long a2 = (long) LE_LONG.get(in, off + 16);
        long a3 = (long) LE_LONG.get(in, off + 24);
        if (!lessThanP(a0, a1, a2, a3)) {
            return false;
        }
        out[outOff] = a0;
        out[outOff + 1] = a1;
        out[outOff + 2] = a2;
        out[outOff + 3] = a3;
        mul(out, outOff, R2, 0, out, outOff);
        return true;
    }

    /** Whether the 32 little-endian bytes at {@code in[off]} encode a value below p. */
    static boolean isCanonical(byte[] in, int off) {
        return lessThanP((long) LE_LONG.get(in, off), (long) LE_LONG.get(in, off + 8),
                (long) LE_LONG.get(in, off + 16), (long) LE_LONG.get(in, off + 24));
    }

    /** Encodes the Montgomery limbs at {@code a[ai]} as 32 canonical little-endian bytes at {@code out[off]}. */
    static void encode(long[] a, int ai, byte[] out, int off) {
        // leaving Montgomery form is a reduction of the limbs alone: (a * 2^256) / 2^256
        Reduction w = new Reduction(a[ai], a[ai + 1], a[ai + 2], a[ai + 3], 0);
        w.divideByR();
        storeBelowP(w.w0, w.w1, w.w2, w.w3, null, out, off);
    }

    /** Writes the plain (not Montgomery) limbs of the element at {@code a[ai]} to {@code r[ri]}. */
    static void toPlain(long[] a, int ai, long[] r, int ri) {
        Reduction w = new Reduction(a[ai], a[ai + 1], a[ai + 2], a[ai + 3], 0);
        w.divideByR();
        storeBelowP(w.w0, w.w1, w.w2, w.w3, r, null, ri);
    }

    /** Replaces the plain limbs of a value below p at {@code r[ri]} by its Montgomery form. */
    static void toMontgomery(long[] r, int ri) {
        mul(r, ri, R2, 0, r, ri);
    }

    /** Sets the limbs at {@code r[ri]} to the Montgomery form of {@code v} (0 <= v < 2^63). */
    static void setLong(long[] r, int ri, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative value " + v);
        }
        r[ri] = v;
        r[ri + 1] = 0;
        r[ri + 2] = 0;
        r[ri + 3] = 0;
        mul(r, ri, R2, 0, r, ri);
    }

    /** {@code r = a + b mod p}. */
    static void add(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        storeSum(a[ai], a[ai + 1], a[ai + 2], a[ai + 3], b[bi], b[bi + 1], b[bi + 2], b[bi + 3], r, null, ri);
    }

    /** {@code r = a - b mod p}. */
    static void sub(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        long a0 = a[ai];
        long a1 = a[ai + 1];
        long a2 = a[ai + 2];
        long a3 = a[ai + 3];
        long b0 = b[bi];
        long b1 = b[bi + 1];
        long b2 = b[bi + 2];
        long b3 = b[bi + 3];
        long d0 = a0 - b0;
        long d1 = a1 - b1 - borrow(a0, b0, d0);
        long d2 = a2 - b2 - borrow(a1, b1, d1);
        long d3 = a3 - b3 - borrow(a2, b2, d2);
        if (borrow(a3, b3, d3) != 0) {
            long s0 = d0 + P0;
            long s1 = d1 + P1 + carry(d0, P0, s0);
            long s2 = d2 + P2 + carry(d1, P1, s1);
            long s3 = d3 + P3 + carry(d2, P2, s2);
            d0 = s0;
            d1 = s1;
            d2 = s2;
            d3 = s3;
        }
        r[ri] = d0;
        r[ri + 1] = d1;
        r[ri + 2] = d2;
        r[ri + 3] = d3;
    }

    /**
     * {@code r = a * b}, with the reduction rounds interleaved with the rows of the product (CIOS): each row adds
     * {@code a * b_i}, each round clears the lowest word, so the value never grows past five words.
     */
    static void mul(long[] a, int ai, long[] b, int bi, long[] r, int ri) {
        long a0 = a[ai];
        long a1 = a[ai + 1];
        long a2 = a[ai + 2];
        long a3 = a[ai + 3];
        long b0 = b[bi];
        long b1 = b[bi + 1];
        long b2 = b[bi + 2];
        long b3 = b[bi + 3];
        Reduction w = new Reduction(0, 0, 0, 0, 0);
        w.addRow(a0, a1, a2, a3, b0);
        w.round();
        w.addRow(a0, a1, a2, a3, b1);
        w.round();
        w.addRow(a0, a1, a2, a3, b2);
        w.round();
        w.addRow(a0, a1, a2, a3, b3);
        w.round();
        // below 2p after every round: one conditional subtraction
        storeBelowP(w.w0, w.w1, w.w2, w.w3, r, null, ri);
    }

    /**
     * Converts the Montgomery limbs at {@code a[ai]} into a coefficient for {@link #dot} (the value times 2^64, so
     * that dot's single reduction by 2^320 lands back in Montgomery form).
     */
    static void toDotCoefficient(long[] a, int ai, long[] r, int ri) {
        mul(a, ai, DOT_FACTOR, 0, r, ri);
    }

    /**
     * {@code r = sum_{j<n} c_j * s_j} with {@code c_j} at {@code coefficients[ci + 4j]} (prepared by
     * {@link #toDotCoefficient}) and {@code s_j} at {@code s[si + 4j]}: a matrix row times a state vector with one
     * reduction for the whole row instead of one per product. The products are summed unreduced in 32-bit
     * half-columns (no carry handling per product), then one Montgomery reduction by 2^320 brings the sum, below
     * n * p^2, under 2p. {@code r} may alias {@code s} only if it does not overlap any element still to be read.
     */
    static void dot(long[] coefficients, int ci, long[] s, int si, int n, long[] r, int ri) {
        long[] m = coefficients;
        int mi = ci;
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0, h4 = 0, h5 = 0, h6 = 0, h7 = 0;
        long h8 = 0, h9 = 0, h10 = 0, h11 = 0, h12 = 0, h13 = 0, h14 = 0, h15 = 0;
        for (int j = 0; j < n; j++) {
            int mo = mi + 4 * j;
            int so = si + 4 * j;
            long a0 = m[mo + 0];
            long a1 = m[mo + 1];
            long a2 = m[mo + 2];
            long a3 = m[mo + 3];
            long b0 = s[so + 0];
            long b1 = s[so + 1];
            long b2 = s[so + 2];
            long b3 = s[so + 3];
            long lo;
            long hi;
            lo = a0 * b0; hi = umulh(a0, b0);
            h0 += lo & M32; h1 += lo >>> 32; h2 += hi & M32; h3 += hi >>> 32;
            lo = a0 * b1; hi = umulh(a0, b1);
            h2 += lo & M32; h3 += lo >>> 32; h4 += hi & M32; h5 += hi >>> 32;
            lo = a0 * b2; hi = umulh(a0, b2);
            h4 += lo & M32; h5 += lo >>> 32; h6 += hi & M32; h7 += hi >>> 32;
            lo = a0 * b3; hi = umulh(a0, b3);
            h6 += lo & M32; h7 += lo >>> 32; h8 += hi & M32; h9 += hi >>> 32;
            lo = a1 * b0; hi = umulh(a1, b0);
            h2 += lo & M32; h3 += lo >>> 32; h4 += hi & M32; h5 += hi >>> 32;
            lo = a1 * b1; hi = umulh(a1, b1);
            h4 += lo & M32; h5 += lo >>> 32; h6 += hi & M32; h7 += hi >>> 32;
            lo = a1 * b2; hi = umulh(a1, b2);
            h6 += lo & M32; h7 += lo >>> 32; h8 += hi & M32; h9 += hi >>> 32;
            lo = a1 * b3; hi = umulh(a1, b3);
            h8 += lo & M32; h9 += lo >>> 32; h10 += hi & M32; h11 += hi >>> 32;
            lo = a2 * b0; hi = umulh(a2, b0);
            h4 += lo & M32; h5 += lo >>> 32; h6 += hi & M32; h7 += hi >>> 32;
            lo = a2 * b1; hi = umulh(a2, b1);
            h6 += lo & M32; h7 += lo >>> 32; h8 += hi & M32; h9 += hi >>> 32;
            lo = a2 * b2; hi = umulh(a2, b2);
            h8 += lo & M32; h9 += lo >>> 32; h10 += hi & M32; h11 += hi >>> 32;
            lo = a2 * b3; hi = umulh(a2, b3);
            h10 += lo & M32; h11 += lo >>> 32; h12 += hi & M32; h13 += hi >>> 32;
            lo = a3 * b0; hi = umulh(a3, b0);
            h6 += lo & M32; h7 += lo >>> 32; h8 += hi & M32; h9 += hi >>> 32;
            lo = a3 * b1; hi = umulh(a3, b1);
            h8 += lo & M32; h9 += lo >>> 32; h10 += hi & M32; h11 += hi >>> 32;
            lo = a3 * b2; hi = umulh(a3, b2);
            h10 += lo & M32; h11 += lo >>> 32; h12 += hi & M32; h13 += hi >>> 32;
            lo = a3 * b3; hi = umulh(a3, b3);
            h12 += lo & M32; h13 += lo >>> 32; h14 += hi & M32; h15 += hi >>> 32;
        }
        long c;
        long d0;
        long d1;
        d0 = h0 & M32; c = h0 >>> 32;
        c += h1; d1 = c & M32; c >>>= 32;
        long t0 = d0 | (d1 << 32);
        c += h2; d0 = c & M32; c >>>= 32;
        c += h3; d1 = c & M32; c >>>= 32;
        long t1 = d0 | (d1 << 32);
        c += h4; d0 = c & M32; c >>>= 32;
        c += h5; d1 = c & M32; c >>>= 32;
        long t2 = d0 | (d1 << 32);
        c += h6; d0 = c & M32; c >>>= 32;
        c += h7; d1 = c & M32; c >>>= 32;
        long t3 = d0 | (d1 << 32);
        c += h8; d0 = c & M32; c >>>= 32;
        c += h9; d1 = c & M32; c >>>= 32;
        long t4 = d0 | (d1 << 32);
        c += h10; d0 = c & M32; c >>>= 32;
        c += h11; d1 = c & M32; c >>>= 32;
        long t5 = d0 | (d1 << 32);
        c += h12; d0 = c & M32; c >>>= 32;
        c += h13; d1 = c & M32; c >>>= 32;
        long t6 = d0 | (d1 << 32);
        c += h14; d0 = c & M32; c >>>= 32;
        c += h15; d1 = c & M32; c >>>= 32;
        long t7 = d0 | (d1 << 32);
        long t8 = c;
        // the low five words through five rounds, the high four added after: see Reduction
        Reduction w = new Reduction(t0, t1, t2, t3, t4);
        w.round();
        w.divideByR();
        storeSum(w.w0, w.w1, w.w2, w.w3, t5, t6, t7, t8, r, null, ri);
    }

    /**
     * {@code r = a * a}: the six cross products are computed once and doubled (10 limb products instead of 16),
     * summed in 32-bit half-columns, then reduced once.
     */
    static void square(long[] a, int ai, long[] r, int ri) {
        long a0 = a[ai + 0];
        long a1 = a[ai + 1];
        long a2 = a[ai + 2];
        long a3 = a[ai + 3];
        long lo;
        long hi;
        lo = a0 * a0; hi = umulh(a0, a0);
        long h0 = lo & M32;
        long h1 = lo >>> 32;
        long h2 = hi & M32;
        long h3 = hi >>> 32;
        lo = a0 * a1; hi = umulh(a0, a1);
        h2 += (lo & M32) << 1;
        h3 += (lo >>> 32) << 1;
        long h4 = (hi & M32) << 1;
        long h5 = (hi >>> 32) << 1;
        lo = a0 * a2; hi = umulh(a0, a2);
        h4 += (lo & M32) << 1;
        h5 += (lo >>> 32) << 1;
        long h6 = (hi & M32) << 1;
        long h7 = (hi >>> 32) << 1;
        lo = a0 * a3; hi = umulh(a0, a3);
        h6 += (lo & M32) << 1;
        h7 += (lo >>> 32) << 1;
        long h8 = (hi & M32) << 1;
        long h9 = (hi >>> 32) << 1;
        lo = a1 * a1; hi = umulh(a1, a1);
        h4 += lo & M32;
        h5 += lo >>> 32;
        h6 += hi & M32;
        h7 += hi >>> 32;
        lo = a1 * a2; hi = umulh(a1, a2);
        h6 += (lo & M32) << 1;
        h7 += (lo >>> 32) << 1;
        h8 += (hi & M32) << 1;
        h9 += (hi >>> 32) << 1;
        lo = a1 * a3; hi = umulh(a1, a3);
        h8 += (lo & M32) << 1;
        h9 += (lo >>> 32) << 1;
        long h10 = (hi & M32) << 1;
        long h11 = (hi >>> 32) << 1;
        lo = a2 * a2; hi = umulh(a2, a2);
        h8 += lo & M32;
        h9 += lo >>> 32;
        h10 += hi & M32;
        h11 += hi >>> 32;
        lo = a2 * a3; hi = umulh(a2, a3);
        h10 += (lo & M32) << 1;
        h11 += (lo >>> 32) << 1;
        long h12 = (hi & M32) << 1;
        long h13 = (hi >>> 32) << 1;
        lo = a3 * a3; hi = umulh(a3, a3);
        h12 += lo & M32;
        h13 += lo >>> 32;
        long h14 = hi & M32;
        long h15 = hi >>> 32;
        // carry the half-columns into 64-bit words t0..t8
        long c;
        long d0;
        long d1;
        d0 = h0 & M32; c = h0 >>> 32;
        c += h1; d1 = c & M32; c >>>= 32;
        long t0 = d0 | (d1 << 32);
        c += h2; d0 = c & M32; c >>>= 32;
        c += h3; d1 = c & M32; c >>>= 32;
        long t1 = d0 | (d1 << 32);
        c += h4; d0 = c & M32; c >>>= 32;
        c += h5; d1 = c & M32; c >>>= 32;
        long t2 = d0 | (d1 << 32);
        c += h6; d0 = c & M32; c >>>= 32;
        c += h7; d1 = c & M32; c >>>= 32;
        long t3 = d0 | (d1 << 32);
        c += h8; d0 = c & M32; c >>>= 32;
        c += h9; d1 = c & M32; c >>>= 32;
        long t4 = d0 | (d1 << 32);
        c += h10; d0 = c & M32; c >>>= 32;
        c += h11; d1 = c & M32; c >>>= 32;
        long t5 = d0 | (d1 << 32);
        c += h12; d0 = c & M32; c >>>= 32;
        c += h13; d1 = c & M32; c >>>= 32;
        long t6 = d0 | (d1 << 32);
        c += h14; d0 = c & M32; c >>>= 32;
        c += h15; d1 = c & M32; c >>>= 32;
        long t7 = d0 | (d1 << 32);
        long t8 = c;
        // the low four words through four rounds, the high four added after (a^2 < 2^510: no ninth word)
        Reduction w = new Reduction(t0, t1, t2, t3, 0);
        w.divideByR();
        storeSum(w.w0, w.w1, w.w2, w.w3, t4, t5, t6, t7, r, null, ri);
    }

    /**
     * A value on five words {@code w0..w4} (least significant first) on its way through Montgomery reduction, the one
     * place the reduction round is written. Every kernel ends in it: {@link #mul} interleaves its rounds with the
     * rows of the product (CIOS), the others reduce a finished sum.
     *
     * <p>A finished sum {@code T = L + H * 2^(64 k)} is reduced by sending only its low words {@code L} through the
     * {@code k} rounds, each adding the multiple of p that clears the lowest word and dropping that word. That leaves
     * {@code U = (L + M p) / 2^(64 k) <= p}, and since {@code T / 2^(64 k) = U + H (mod p)} with {@code H < p},
     * {@link #storeSum} finishes with one conditional subtraction; five words stay live instead of nine.
     *
     * <p>Each instance lives inside one kernel call and its methods are small enough to be inlined, so the JIT keeps
     * the words in registers and allocates nothing (escape analysis). The rounds are calls in a row, not a loop: C2
     * does not unroll a loop of this size, and the rolled loop measured 3 to 11% slower than the straight line.
     */
    private static final class Reduction {
        long w0;
        long w1;
        long w2;
        long w3;
        long w4;

        Reduction(long w0, long w1, long w2, long w3, long w4) {
            this.w0 = w0;
            this.w1 = w1;
            this.w2 = w2;
            this.w3 = w3;
            this.w4 = w4;
        }

        /**
         * Adds {@code (a0..a3) * b} to {@code w0..w3}, its top word going to {@code w4}, which must be free (zero):
         * a row of the product, for the interleaved multiplication.
         */
        void addRow(long a0, long a1, long a2, long a3, long b) {
            long lo;
            long hi;
            long s;
            long c;
            lo = a0 * b; hi = umulh(a0, b); s = w0 + lo; c = hi + ltu(s, w0); w0 = s;
            lo = a1 * b; hi = umulh(a1, b); s = w1 + lo; hi += ltu(s, w1); w1 = s + c; c = hi + ltu(w1, s);
            lo = a2 * b; hi = umulh(a2, b); s = w2 + lo; hi += ltu(s, w2); w2 = s + c; c = hi + ltu(w2, s);
            lo = a3 * b; hi = umulh(a3, b); s = w3 + lo; hi += ltu(s, w3); w3 = s + c; c = hi + ltu(w3, s);
            w4 = c;
        }

        /** Four rounds: divides by R = 2^256 (mod p). */
        void divideByR() {
            round();
            round();
            round();
            round();
        }

        /** One round: adds the multiple of p that clears {@code w0}, then drops that word (divides by 2^64 mod p). */
        void round() {
            long m = w0 * INV;
            // m * P0 ends in -w0, so the lowest word sums to zero and carries unless w0 was zero
            long c = umulh(m, P0) + (w0 != 0 ? 1 : 0);
            long lo;
            long hi;
            long x;
            lo = m * P1; hi = umulh(m, P1); x = w1 + lo; hi += ltu(x, w1); w0 = x + c; c = hi + ltu(w0, x);
            lo = m * P2; hi = umulh(m, P2); x = w2 + lo; hi += ltu(x, w2); w1 = x + c; c = hi + ltu(w1, x);
            lo = m * P3; hi = umulh(m, P3); x = w3 + lo; hi += ltu(x, w3); w2 = x + c; c = hi + ltu(w2, x);
            long top = w4 + c;
            w4 = ltu(top, c);
            w3 = top;
        }
    }

    /** Writes {@code (x + y) mod p} for {@code x + y < 2p} as {@link #storeBelowP} does. */
    private static void storeSum(long x0, long x1, long x2, long x3, long y0, long y1, long y2, long y3,
            long[] r, byte[] out, int at) {
        // below 2p < 2^256: no carry out of the top limb
        long t0 = x0 + y0;
        long t1 = x1 + y1 + carry(x0, y0, t0);
        long t2 = x2 + y2 + carry(x1, y1, t1);
        long t3 = x3 + y3 + carry(x2, y2, t2);
        storeBelowP(t0, t1, t2, t3, r, out, at);
    }

    /**
     * Writes {@code t mod p} for {@code t < 2p} to {@code r[at]} as limbs or, when {@code r} is null, to
     * {@code out[at]} as little-endian bytes.
     */
    private static void storeBelowP(long t0, long t1, long t2, long t3, long[] r, byte[] out, int at) {
        long d0 = t0 - P0;
        long d1 = t1 - P1 - borrow(t0, P0, d0);
        long d2 = t2 - P2 - borrow(t1, P1, d1);
        long d3 = t3 - P3 - borrow(t2, P2, d2);
        if (borrow(t3, P3, d3) == 0) {
            t0 = d0;
            t1 = d1;
            t2 = d2;
            t3 = d3;
        }
        if (r != null) {
            r[at] = t0;
            r[at + 1] = t1;
            r[at + 2] = t2;
            r[at + 3] = t3;
        } else {
            LE_LONG.set(out, at, t0);
            LE_LONG.set(out, at + 8, t1);
            LE_LONG.set(out, at + 16, t2);
            LE_LONG.set(out, at + 24, t3);
        }
    }

    /** {@code r = a^5}, Poseidon's S-box. */
    static void pow5(long[] a, int ai, long[] r, int ri, long[] scratch, int si) {
        square(a, ai, scratch, si);
        square(scratch, si, scratch, si);
        mul(a, ai, scratch, si, r, ri);
    }

    /** Copies one element. */
    static void copy(long[] a, int ai, long[] r, int ri) {
        r[ri] = a[ai];
        r[ri + 1] = a[ai + 1];
        r[ri + 2] = a[ai + 2];
        r[ri + 3] = a[ai + 3];
    }

    /** Whether the limbs at {@code a[ai]} and {@code b[bi]} hold the same element. */
    static boolean equal(long[] a, int ai, long[] b, int bi) {
        return a[ai] == b[bi] && a[ai + 1] == b[bi + 1] && a[ai + 2] == b[bi + 2] && a[ai + 3] == b[bi + 3];
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 64-bit word primitives

    /** High 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh needs Java 18). */
    static long umulh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** Carry out of {@code s = a + b (+ carry in)}: the majority rule on the top bits. */
    static long carry(long a, long b, long s) {
        return ((a & b) | ((a | b) & ~s)) >>> 63;
    }

    /** 1 when {@code s < x} unsigned: the carry out of {@code s = x + y} without carry in. */
    static long ltu(long s, long x) {
        return (s ^ Long.MIN_VALUE) < (x ^ Long.MIN_VALUE) ? 1 : 0;
    }

    /** Borrow out of {@code d = a - b (- borrow in)}. */
    static long borrow(long a, long b, long d) {
        return ((~a & b) | ((~a | b) & d)) >>> 63;
    }

    static boolean lessThanP(long a0, long a1, long a2, long a3) {
        if (a3 != P3) {
            return Long.compareUnsigned(a3, P3) < 0;
        }
        if (a2 != P2) {
            return Long.compareUnsigned(a2, P2) < 0;
        }
        if (a1 != P1) {
            return Long.compareUnsigned(a1, P1) < 0;
        }
        return Long.compareUnsigned(a0, P0) < 0;
    }

    /** The limbs of a non-negative integer below 2^256, least significant first. */
    static long[] limbsOf(BigInteger v) {
        long[] r = new long[LIMBS];
        for (int i = 0; i < LIMBS; i++) {
            r[i] = v.shiftRight(64 * i).longValue();
        }
        return r;
    }

    /** The integer whose limbs, least significant first, are the arguments. */
    static BigInteger plainValue(long a0, long a1, long a2, long a3) {
        byte[] be = new byte[33];
        long[] l = {a0, a1, a2, a3};
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 8; k++) {
                be[32 - (8 * i + k)] = (byte) (l[i] >>> (8 * k));
            }
        }
        return new BigInteger(be);
    }
}
