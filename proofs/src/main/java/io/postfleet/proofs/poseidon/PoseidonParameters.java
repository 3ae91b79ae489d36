package io.postfleet.proofs.poseidon;

import io.postfleet.proofs.field.Fr;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The constants of Filecoin's Poseidon for one arity (neptune v11, Strength::Standard, MerkleTree hashing), generated
 * here from their definition, never read from a file.
 *
 * <p><b>Plain form</b> (what the specification states; every backend may implement exactly this): width
 * {@code t = arity + 1}; state {@code s = [domainTag, x_1 .. x_arity]}; {@code fullRounds / 2} full rounds,
 * {@code partialRounds} partial rounds, {@code fullRounds / 2} full rounds, with round r using
 * {@code roundConstants[r*t .. r*t+t)}:
 * <pre>
 * full round:    s[i] = (s[i] + rc[r*t+i])^5 for every i;  s = M * s
 * partial round: s[i] =  s[i] + rc[r*t+i]   for every i;  s[0] = s[0]^5;  s = M * s
 * digest:        s[1]
 * </pre>
 * where {@code (M * s)[i] = sum_j mds[i][j] * s[j]}; M is the Cauchy matrix {@code 1 / (i + j + t)}, symmetric.
 * Round constants come from the Grain LFSR of the Poseidon paper with Filecoin's parameters (field 1, S-box bits
 * {@code 0001}, 255-bit field, t, RF, RP), 255 bits per constant read most significant first, values {@code >= p}
 * redrawn. All values are canonical Fr integers in [0, p).
 *
 * <p><b>Optimized form</b> ({@link #sparse()}, what the CPU path runs; outputs are identical, a test checks it):
 * the partial rounds' constants are reduced to one scalar each, the rest being carried forward through M and added
 * to the first full round after them; and each partial round's M is factored into a sparse matrix S (row 0 dense,
 * column 0 dense, identity elsewhere) times a block-diagonal {@code diag(1, N)}, which commutes with the S-box of
 * s[0] and is pushed into the round before; the dense factor left at the first partial round turns the last full
 * round before the partial rounds into a multiplication by {@code preSparseMatrix}:
 * <pre>
 * full round r (r &lt; RF/2):   s[i] = (s[i] + fullRoundConstants[r][i])^5;  s = (r == RF/2-1 ? preSparseMatrix : M) * s
 * partial round k:            s[0] = (s[0] + partialRoundConstants[k])^5;  s = S_k * s
 *                             with (S_k * s)[0] = sum_j sparse[k].row[j] * s[j],
 *                                  (S_k * s)[i] = sparse[k].column[i-1] * s[0] + s[i]  (i >= 1)
 * full round r (r &gt;= RF/2):  s[i] = (s[i] + fullRoundConstants[r][i])^5;  s = M * s
 * </pre>
 *
 * @param arity         inputs per hash (2, 4, 8, 11 or 16)
 * @param fullRounds    RF (8 for every supported arity)
 * @param partialRounds RP (neptune's round-number table: 55 for t=3, 56 for t=5, 57 for t=9 and t=12, 59 for t=17)
 * @param roundConstants {@code (fullRounds + partialRounds) * width} constants, consumed t per round in order
 * @param mds           the t x t MDS matrix, {@code mds.get(i).get(j) = 1 / (i + j + t)}
 */
public record PoseidonParameters(int arity, int fullRounds, int partialRounds, List<BigInteger> roundConstants,
                                 List<List<BigInteger>> mds) {

    /** The arities Filecoin uses that this build supports. */
    public static final List<Integer> ARITIES = List.of(2, 4, 8, 11, 16);

    private static final BigInteger P = Fr.MODULUS;
    private static final Map<Integer, PoseidonParameters> CACHE = new ConcurrentHashMap<>();
    private static final Map<Integer, Sparse> SPARSE = new ConcurrentHashMap<>();

    public PoseidonParameters {
        roundConstants = List.copyOf(roundConstants);
        mds = mds.stream().map(List::copyOf).toList();
    }

    /**
     * The parameters for {@code arity}, generated on first use and cached.
     *
     * @throws IllegalArgumentException for an arity outside {@link #ARITIES}
     */
    public static PoseidonParameters forArity(int arity) {
        PoseidonParameters cached = CACHE.get(arity);
        return cached != null ? cached : CACHE.computeIfAbsent(arity, PoseidonParameters::generate);
    }

    /** State width t = arity + 1. */
    public int width() {
        return arity + 1;
    }

    /** Initial s[0] for Filecoin's MerkleTree hashing: 2^arity - 1. */
    public BigInteger domainTag() {
        return BigInteger.ONE.shiftLeft(arity).subtract(BigInteger.ONE);
    }

    /** Round constant {@code i} as a field element. */
    public Fr roundConstant(int i) {
        return Fr.fromBigInteger(roundConstants.get(i));
    }

    /** Round constant {@code i} as its canonical 32-byte little-endian encoding. */
    public byte[] roundConstantBytes(int i) {
        return roundConstant(i).toBytes();
    }

    /** MDS entry (i, j) as a field element. */
    public Fr mdsEntry(int i, int j) {
        return Fr.fromBigInteger(mds.get(i).get(j));
    }

    /** MDS entry (i, j) as its canonical 32-byte little-endian encoding. */
    public byte[] mdsEntryBytes(int i, int j) {
        return mdsEntry(i, j).toBytes();
    }

    /** The optimized-form constants (see the class comment), computed on first use and cached. */
    public Sparse sparse() {
        Sparse cached = SPARSE.get(arity);
        return cached != null ? cached : SPARSE.computeIfAbsent(arity, a -> Sparse.of(this));
    }

    /**
     * One partial round's sparse matrix S: {@code row} is S's row 0 (t entries), {@code column} is S's column 0 below
     * the diagonal (t - 1 entries); every other entry is that of the identity.
     */
    public record SparseMatrix(List<BigInteger> row, List<BigInteger> column) {
        public SparseMatrix {
            row = List.copyOf(row);
            column = List.copyOf(column);
        }
    }

    /**
     * The optimized-form constants (class comment): {@code fullRoundConstants} RF rows of t, {@code
     * partialRoundConstants} RP scalars, {@code preSparseMatrix} t x t, {@code sparseMatrices} RP in round order.
     */
    public record Sparse(List<List<BigInteger>> fullRoundConstants, List<BigInteger> partialRoundConstants,
                         List<List<BigInteger>> preSparseMatrix, List<SparseMatrix> sparseMatrices) {

        public Sparse {
            fullRoundConstants = fullRoundConstants.stream().map(List::copyOf).toList();
            partialRoundConstants = List.copyOf(partialRoundConstants);
            preSparseMatrix = preSparseMatrix.stream().map(List::copyOf).toList();
            sparseMatrices = List.copyOf(sparseMatrices);
        }

        static Sparse of(PoseidonParameters p) {
            int t = p.width();
            int rf = p.fullRounds;
            int rp = p.partialRounds;
            BigInteger[][] m = toArray(p.mds);
            BigInteger[][] rc = new BigInteger[rf + rp][];
            for (int r = 0; r < rf + rp; r++) {
                rc[r] = p.roundConstants.subList(r * t, (r + 1) * t).toArray(BigInteger[]::new);
            }

            // Constants added to s[1..] in a partial round pass the S-box unchanged: carry them through M to the
            // next round, keeping only the s[0] part; what is left joins the first full round after.
            List<BigInteger> partial = new ArrayList<>();
            BigInteger[] carried = zeros(t);
            for (int k = 0; k < rp; k++) {
                BigInteger[] c = rc[rf / 2 + k];
                partial.add(c[0].add(carried[0]).mod(P));
                BigInteger[] rest = zeros(t);
                for (int i = 1; i < t; i++) {
                    rest[i] = c[i].add(carried[i]).mod(P);
                }
                carried = multiply(m, rest);
            }
            List<List<BigInteger>> full = new ArrayList<>();
            for (int r = 0; r < rf; r++) {
                BigInteger[] c = (r < rf / 2 ? rc[r] : rc[rp + r]).clone();
                if (r == rf / 2) {
                    for (int i = 0; i < t; i++) {
                        c[i] = c[i].add(carried[i]).mod(P);
                    }
                }
                full.add(List.of(c));
            }

            // Factor each partial round's matrix N = S * diag(1, N'), last round first; diag(1, N') moves into the
            // round before (it leaves s[0], the only S-box input, alone), so N there becomes diag(1, N') * M.
            SparseMatrix[] sparse = new SparseMatrix[rp];
            BigInteger[][] n = m;
            for (int k = rp - 1; k >= 0; k--) {
                BigInteger[][] inner = new BigInteger[t - 1][t - 1];
                for (int i = 1; i < t; i++) {
                    for (int j = 1; j < t; j++) {
                        inner[i - 1][j - 1] = n[i][j];
                    }
                }
                // row 0 of S: w with w * N' = n[0][1..], i.e. N'^T w = n[0][1..]
                BigInteger[] rhs = new BigInteger[t - 1];
                for (int j = 1; j < t; j++) {
                    rhs[j - 1] = n[0][j];
                }
                BigInteger[] w = solve(transpose(inner), rhs);
                List<BigInteger> row = new ArrayList<>();
                row.add(n[0][0]);
                row.addAll(List.of(w));
                List<BigInteger> column = new ArrayList<>();
                for (int i = 1; i < t; i++) {
                    column.add(n[i][0]);
                }
                sparse[k] = new SparseMatrix(row, column);
                BigInteger[][] block = new BigInteger[t][t];
                for (int i = 0; i < t; i++) {
                    for (int j = 0; j < t; j++) {
                        block[i][j] = i == 0 || j == 0 ? (i == j ? BigInteger.ONE : BigInteger.ZERO) : inner[i - 1][j - 1];
                    }
                }
                n = multiply(block, m);
            }
            return new Sparse(full, partial, toLists(n), List.of(sparse));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generation

    private static PoseidonParameters generate(int arity) {
        int rp = switch (arity) {
            case 2 -> 55;
            case 4 -> 56;
            case 8, 11 -> 57;
            case 16 -> 59;
            default -> throw new IllegalArgumentException("Poseidon arity " + arity + " is not supported; use one of "
                    + ARITIES);
        };
        int rf = 8;
        int t = arity + 1;
        List<BigInteger> rc = roundConstants(t, rf, rp);
        List<List<BigInteger>> mds = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            List<BigInteger> row = new ArrayList<>();
            for (int j = 0; j < t; j++) {
                row.add(BigInteger.valueOf(i + j + t).modInverse(P));
            }
            mds.add(row);
        }
        return new PoseidonParameters(arity, rf, rp, rc, mds);
    }

    /** Grain LFSR constants as neptune (and the reference script of the Poseidon paper) generate them. */
    static List<BigInteger> roundConstants(int t, int rf, int rp) {
        boolean[] s = new boolean[80];
        int at = 0;
        at = put(s, at, 1, 2);      // field: prime field
        at = put(s, at, 1, 4);      // S-box: x^5 in Filecoin's convention
        at = put(s, at, 255, 12);   // field size in bits
        at = put(s, at, t, 12);
        at = put(s, at, rf, 10);
        at = put(s, at, rp, 10);
        while (at < 80) {
            s[at++] = true;
        }
        Grain grain = new Grain(s);
        for (int i = 0; i < 160; i++) {
            grain.clock();
        }
        int count = (rf + rp) * t;
        List<BigInteger> out = new ArrayList<>(count);
        while (out.size() < count) {
            BigInteger v = BigInteger.ZERO;
            for (int bit = 0; bit < 255; bit++) {
                v = v.shiftLeft(1);
                if (grain.nextBit()) {
                    v = v.setBit(0);
                }
            }
            if (v.compareTo(P) < 0) {
                out.add(v);
            }
        }
        return out;
    }

    private static int put(boolean[] s, int at, int value, int bits) {
        for (int i = bits - 1; i >= 0; i--) {
            s[at++] = ((value >>> i) & 1) != 0;
        }
        return at;
    }

    /** The 80-bit self-shrinking Grain LFSR. */
    private static final class Grain {
        private final boolean[] s;
        private int head;

        Grain(boolean[] init) {
            s = init.clone();
        }

        // s[i] of the specification is s[(head + i) % 80]; clocking appends the new bit in place of s[0]
        boolean clock() {
            boolean b = bit(62) ^ bit(51) ^ bit(38) ^ bit(23) ^ bit(13) ^ bit(0);
            s[head] = b;
            head = (head + 1) % 80;
            return b;
        }

        private boolean bit(int i) {
            return s[(head + i) % 80];
        }

        boolean nextBit() {
            while (true) {
                boolean first = clock();
                boolean second = clock();
                if (first) {
                    return second;
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // small matrix algebra mod p (constant preparation only)

    private static BigInteger[] zeros(int n) {
        BigInteger[] z = new BigInteger[n];
        java.util.Arrays.fill(z, BigInteger.ZERO);
        return z;
    }

    private static BigInteger[][] toArray(List<List<BigInteger>> m) {
        return m.stream().map(r -> r.toArray(BigInteger[]::new)).toArray(BigInteger[][]::new);
    }

    private static List<List<BigInteger>> toLists(BigInteger[][] m) {
        List<List<BigInteger>> out = new ArrayList<>();
        for (BigInteger[] r : m) {
            out.add(List.of(r));
        }
        return out;
    }

    private static BigInteger[] multiply(BigInteger[][] m, BigInteger[] v) {
        BigInteger[] r = new BigInteger[m.length];
        for (int i = 0; i < m.length; i++) {
            BigInteger acc = BigInteger.ZERO;
            for (int j = 0; j < v.length; j++) {
                acc = acc.add(m[i][j].multiply(v[j]));
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

    private static BigInteger[][] transpose(BigInteger[][] a) {
        int n = a.length;
        BigInteger[][] r = new BigInteger[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[j][i] = a[i][j];
            }
        }
        return r;
    }

    /** Solves {@code a x = b} by Gauss-Jordan elimination; the matrices here are invertible (Cauchy minors). */
    private static BigInteger[] solve(BigInteger[][] a, BigInteger[] b) {
        int n = b.length;
        BigInteger[][] m = new BigInteger[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && m[pivot][col].signum() == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalStateException("singular matrix while preparing Poseidon's sparse rounds");
            }
            BigInteger[] tmp = m[col];
            m[col] = m[pivot];
            m[pivot] = tmp;
            BigInteger inv = m[col][col].modInverse(P);
            for (int j = col; j <= n; j++) {
                m[col][j] = m[col][j].multiply(inv).mod(P);
            }
            for (int i = 0; i < n; i++) {
                if (i != col && m[i][col].signum() != 0) {
                    BigInteger f = m[i][col];
                    for (int j = col; j <= n; j++) {
                        m[i][j] = m[i][j].subtract(f.multiply(m[col][j])).mod(P);
                    }
                }
            }
        }
        BigInteger[] x = new BigInteger[n];
        for (int i = 0; i < n; i++) {
            x[i] = m[i][n];
        }
        return x;
    }
}
