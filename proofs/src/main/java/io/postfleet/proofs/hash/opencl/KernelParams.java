package io.postfleet.proofs.hash.opencl;

import java.math.BigInteger;
import java.util.List;

/**
 * Turns a {@link PlainPoseidon} into the table poseidon.cl reads: Montgomery-form limbs, the partial rounds'
 * constants reduced to one per round and their MDS products factored into sparse matrices. Outputs are unchanged;
 * a partial round then costs 2t-1 multiplications instead of t^2.
 *
 * <p>Why it is exact: a partial round is {@code s <- M * S(s + c)} where S raises only s[0] to the fifth power.
 * (1) The constants added to s[1..] pass through S untouched, so they can be carried forward as {@code M * (0, c')}
 * and only their s[0] part is added before the next S; what is left after the last partial round joins the next
 * full round's constants. (2) Each matrix N = [[n00, w], [v, N']] factors as X * Y with Y = diag(1, N') and
 * X = [[n00, w * N'^-1], [v, I]]; Y leaves s[0] alone, so it commutes with the S-box and with adding a constant to
 * s[0], and moves into the previous round's matrix. The dense factor left over at the first partial round joins
 * the last full round before them.
 */
final class KernelParams {

    static final BigInteger P = new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);
    static final BigInteger R = BigInteger.ONE.shiftLeft(256).mod(P);
    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private KernelParams() {
    }

    /** The table for poseidon.cl, 4 little-endian limbs per element. */
    static long[] of(PlainPoseidon plain) {
        int t = plain.width();
        int rf = plain.fullRounds();
        int rp = plain.partialRounds();
        BigInteger[][] m = toArray(plain.mds());
        BigInteger[][] rc = new BigInteger[rf + rp][];
        for (int r = 0; r < rf + rp; r++) {
            rc[r] = plain.roundConstants().subList(r * t, (r + 1) * t).toArray(BigInteger[]::new);
        }

        // (1) partial-round constants: one scalar per round, the rest carried forward
        BigInteger[] partialConstants = new BigInteger[rp];
        BigInteger[] carried = zeros(t);
        for (int p = 0; p < rp; p++) {
            BigInteger[] c = rc[rf / 2 + p];
            partialConstants[p] = add(c[0], carried[0]);
            BigInteger[] rest = zeros(t);
            for (int i = 1; i < t; i++) {
                rest[i] = add(c[i], carried[i]);
            }
            carried = multiply(m, rest);
        }
        BigInteger[][] fullConstants = new BigInteger[rf][];
        for (int r = 0; r < rf; r++) {
            fullConstants[r] = r < rf / 2 ? rc[r] : rc[rp + r].clone();
        }
        if (rp > 0) {
            for (int i = 0; i < t; i++) {
                fullConstants[rf / 2][i] = add(fullConstants[rf / 2][i], carried[i]);
            }
        }

        // (2) sparse factors, from the last partial round back to the first
        BigInteger[][] sparse = new BigInteger[rp][];
        BigInteger[][] n = m;
        for (int p = rp - 1; p >= 0; p--) {
            BigInteger[][] inner = new BigInteger[t - 1][t - 1];
            for (int i = 1; i < t; i++) {
                for (int j = 1; j < t; j++) {
                    inner[i - 1][j - 1] = n[i][j];
                }
            }
            BigInteger[][] innerInverse = invert(inner);
            BigInteger[] row = new BigInteger[2 * t - 1];
            row[0] = n[0][0];
            for (int j = 1; j < t; j++) {
                BigInteger acc = BigInteger.ZERO;
                for (int k = 1; k < t; k++) {
                    acc = acc.add(n[0][k].multiply(innerInverse[k - 1][j - 1]));
                }
                row[j] = acc.mod(P);
            }
            for (int i = 1; i < t; i++) {
                row[t - 1 + i] = n[i][0];
            }
            sparse[p] = row;
            BigInteger[][] y = identity(t);
            for (int i = 1; i < t; i++) {
                for (int j = 1; j < t; j++) {
                    y[i][j] = inner[i - 1][j - 1];
                }
            }
            n = multiply(y, m);
        }
        BigInteger[][] pre = rp > 0 ? n : m;

        int elements = 1 + rf * t + rp + 2 * t * t + rp * (2 * t - 1);
        long[] out = new long[elements * 4];
        int[] at = {0};
        put(out, at, plain.domainTag());
        for (BigInteger[] round : fullConstants) {
            for (BigInteger x : round) {
                put(out, at, x);
            }
        }
        for (BigInteger x : partialConstants) {
            put(out, at, x);
        }
        for (BigInteger[][] matrix : new BigInteger[][][] {m, pre}) {
            for (BigInteger[] r : matrix) {
                for (BigInteger x : r) {
                    put(out, at, x);
                }
            }
        }
        for (BigInteger[] r : sparse) {
            for (BigInteger x : r) {
                put(out, at, x);
            }
        }
        if (at[0] * 4 != out.length) {
            throw new IllegalStateException("kernel table size mismatch: " + at[0] * 4 + " != " + out.length);
        }
        return out;
    }

    /** The OpenCL C defines fr.cl expects, derived from p. */
    static String fieldDefines() {
        BigInteger inv = P.mod(BigInteger.ONE.shiftLeft(64)).modInverse(BigInteger.ONE.shiftLeft(64)).negate()
                .mod(BigInteger.ONE.shiftLeft(64));
        BigInteger r2 = R.multiply(R).mod(P);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sb.append("#define FR_P").append(i).append(' ').append(hex(P.shiftRight(64 * i).and(MASK64))).append('\n');
            sb.append("#define FR_R2_").append(i).append(' ').append(hex(r2.shiftRight(64 * i).and(MASK64))).append('\n');
        }
        sb.append("#define FR_INV ").append(hex(inv)).append('\n');
        return sb.toString();
    }

    private static String hex(BigInteger limb) {
        return "0x" + limb.toString(16) + "UL";
    }

    /** x (canonical) into Montgomery form, 4 little-endian limbs. */
    static void putMontgomery(long[] out, int offset, BigInteger x) {
        BigInteger mont = x.multiply(R).mod(P);
        for (int i = 0; i < 4; i++) {
            out[offset + i] = mont.shiftRight(64 * i).and(MASK64).longValue();
        }
    }

    private static void put(long[] out, int[] at, BigInteger x) {
        putMontgomery(out, at[0] * 4, x);
        at[0]++;
    }

    private static BigInteger add(BigInteger a, BigInteger b) {
        return a.add(b).mod(P);
    }

    private static BigInteger[] zeros(int n) {
        BigInteger[] z = new BigInteger[n];
        java.util.Arrays.fill(z, BigInteger.ZERO);
        return z;
    }

    private static BigInteger[][] identity(int n) {
        BigInteger[][] id = new BigInteger[n][];
        for (int i = 0; i < n; i++) {
            id[i] = zeros(n);
            id[i][i] = BigInteger.ONE;
        }
        return id;
    }

    private static BigInteger[][] toArray(List<List<BigInteger>> rows) {
        return rows.stream().map(r -> r.stream().map(x -> x.mod(P)).toArray(BigInteger[]::new)).toArray(BigInteger[][]::new);
    }

    private static BigInteger[] multiply(BigInteger[][] a, BigInteger[] v) {
        BigInteger[] r = new BigInteger[a.length];
        for (int i = 0; i < a.length; i++) {
            BigInteger acc = BigInteger.ZERO;
            for (int j = 0; j < v.length; j++) {
                acc = acc.add(a[i][j].multiply(v[j]));
            }
            r[i] = acc.mod(P);
        }
        return r;
    }

    private static BigInteger[][] multiply(BigInteger[][] a, BigInteger[][] b) {
        int n = a.length;
        BigInteger[][] r = new BigInteger[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                BigInteger acc = BigInteger.ZERO;
                for (int k = 0; k < n; k++) {
                    acc = acc.add(a[i][k].multiply(b[k][j]));
                }
                r[i][j] = acc.mod(P);
            }
        }
        return r;
    }

    /** Gauss-Jordan inverse mod p; an MDS matrix's square submatrices are all invertible. */
    private static BigInteger[][] invert(BigInteger[][] a) {
        int n = a.length;
        BigInteger[][] w = new BigInteger[n][2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i][j] = a[i][j];
                w[i][n + j] = i == j ? BigInteger.ONE : BigInteger.ZERO;
            }
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && w[pivot][col].signum() == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalArgumentException("MDS submatrix is singular: not an MDS matrix");
            }
            BigInteger[] tmp = w[col];
            w[col] = w[pivot];
            w[pivot] = tmp;
            BigInteger inv = w[col][col].modInverse(P);
            for (int j = 0; j < 2 * n; j++) {
                w[col][j] = w[col][j].multiply(inv).mod(P);
            }
            for (int i = 0; i < n; i++) {
                if (i != col && w[i][col].signum() != 0) {
                    BigInteger f = w[i][col];
                    for (int j = 0; j < 2 * n; j++) {
                        w[i][j] = w[i][j].subtract(f.multiply(w[col][j])).mod(P);
                    }
                }
            }
        }
        BigInteger[][] r = new BigInteger[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(w[i], n, r[i], 0, n);
        }
        return r;
    }
}
