package io.postfleet.proofs.poseidon;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.field.NonCanonicalElementException;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Filecoin's Poseidon hash of {@code arity} field elements (neptune v11, MerkleTree domain tag 2^arity - 1, output
 * state[1]): the hash of every tree_r_last node and of comm_r. Runs the optimized form of
 * {@link PoseidonParameters} (compressed partial-round constants, sparse partial-round matrices) on Montgomery limbs;
 * {@link #hashPlain} runs the plain form for cross-checking.
 *
 * <p>Instances are immutable and thread-safe; the group methods allocate one small work array per call, nothing per
 * hash. Elements are 32-byte little-endian canonical encodings; a non-canonical input is refused, never reduced.
 */
public final class Poseidon {

    private static final Map<Integer, Poseidon> CACHE = new ConcurrentHashMap<>();
    private static final int L = Fr.LIMBS;

    private final PoseidonParameters parameters;
    private final int arity;
    private final int t;
    private final int rf;
    private final int rp;
    private final long[] tag;
    // plain form
    private final long[] roundConstants;
    private final long[] mds;
    // matrices used through Fr.dot hold dot-form coefficients
    private final long[] mdsDot;
    // optimized form
    private final long[] fullConstants;
    private final long[] partialConstants;
    private final long[] preSparse;
    private final long[] sparseRows;
    private final long[] sparseColumns;

    private Poseidon(PoseidonParameters p) {
        parameters = p;
        arity = p.arity();
        t = p.width();
        rf = p.fullRounds();
        rp = p.partialRounds();
        tag = limbs(List.of(p.domainTag()));
        roundConstants = limbs(p.roundConstants());
        mds = limbs(p.mds().stream().flatMap(List::stream).toList());
        mdsDot = dotForm(mds);
        PoseidonParameters.Sparse s = p.sparse();
        fullConstants = limbs(s.fullRoundConstants().stream().flatMap(List::stream).toList());
        partialConstants = limbs(s.partialRoundConstants());
        preSparse = dotForm(limbs(s.preSparseMatrix().stream().flatMap(List::stream).toList()));
        sparseRows = dotForm(limbs(s.sparseMatrices().stream().flatMap(m -> m.row().stream()).toList()));
        sparseColumns = limbs(s.sparseMatrices().stream().flatMap(m -> m.column().stream()).toList());
    }

    /**
     * The hash for {@code arity} (2, 4, 8, 11 or 16), built on first use and cached.
     *
     * @throws IllegalArgumentException for another arity
     */
    public static Poseidon forArity(int arity) {
        Poseidon cached = CACHE.get(arity);
        return cached != null ? cached : CACHE.computeIfAbsent(arity, a -> new Poseidon(PoseidonParameters.forArity(a)));
    }

    public int arity() {
        return arity;
    }

    public PoseidonParameters parameters() {
        return parameters;
    }

    /**
     * Hashes exactly {@code arity} elements, each a 32-byte canonical little-endian encoding.
     *
     * @return the 32-byte digest
     * @throws IllegalArgumentException for a wrong count or size; {@link NonCanonicalElementException} naming the
     *                                  element for a value {@code >= p}
     */
    public byte[] hash(byte[]... elements) {
        if (elements.length != arity) {
            throw new IllegalArgumentException("Poseidon arity " + arity + " hashes exactly " + arity
                    + " elements, got " + elements.length);
        }
        byte[] in = new byte[arity * Fr.BYTES];
        for (int i = 0; i < arity; i++) {
            if (elements[i].length != Fr.BYTES) {
                throw new IllegalArgumentException("element " + i + " is " + elements[i].length
                        + " bytes; a BLS12-381 Fr element is 32 bytes");
            }
            System.arraycopy(elements[i], 0, in, i * Fr.BYTES, Fr.BYTES);
            if (!Fr.isCanonical(in, i * Fr.BYTES)) {
                throw Fr.nonCanonical(in, i * Fr.BYTES, "Poseidon input element " + i);
            }
        }
        byte[] out = new byte[Fr.BYTES];
        hashGroups(in, 0, 1, out, 0);
        return out;
    }

    /** Hashes field elements (convenience for tests and constants). */
    public Fr hash(Fr... elements) {
        byte[][] b = new byte[elements.length][];
        for (int i = 0; i < elements.length; i++) {
            b[i] = elements[i].toBytes();
        }
        return Fr.fromBytes(hash(b), 0, "digest");
    }

    /**
     * Hashes {@code count} groups of {@code arity} consecutive 32-byte elements from {@code in[inOff]}, writing
     * {@code count} 32-byte digests to {@code out[outOff]} ({@code out} may be {@code in} when digests do not overtake
     * unread groups, as when a tree level is written below the row it reads).
     *
     * @throws NonCanonicalElementException naming the group (counted from 0 in this call) and element
     */
    public void hashGroups(byte[] in, int inOff, int count, byte[] out, int outOff) {
        hashGroups(in, inOff, count, out, outOff, 0);
    }

    /**
     * As {@link #hashGroups(byte[], int, int, byte[], int)}, numbering groups from {@code firstGroup} in errors (for
     * callers that split one request into parts).
     */
    public void hashGroups(byte[] in, int inOff, int count, byte[] out, int outOff, long firstGroup) {
        long[] work = newWork();
        int groupBytes = arity * Fr.BYTES;
        for (int g = 0; g < count; g++) {
            int off = inOff + g * groupBytes;
            load(in, off, work, firstGroup + g);
            permuteOptimized(work);
            Fr.encode(work, L, out, outOff + g * Fr.BYTES);
        }
    }

    /** The digest computed with the plain (unoptimized) rounds, for cross-checking the optimized path. */
    public byte[] hashPlain(byte[] in, int inOff) {
        long[] work = newWork();
        load(in, inOff, work, 0);
        permutePlain(work);
        byte[] out = new byte[Fr.BYTES];
        Fr.encode(work, L, out, 0);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // rounds. work = [state t elements | next state t elements | scratch 2 elements]

    private long[] newWork() {
        return new long[(2 * t + 2) * L];
    }

    private void load(byte[] in, int off, long[] work, long group) {
        Fr.copy(tag, 0, work, 0);
        for (int i = 0; i < arity; i++) {
            if (!Fr.tryDecode(in, off + i * Fr.BYTES, work, (i + 1) * L)) {
                throw Fr.nonCanonical(in, off + i * Fr.BYTES, "element " + i + " of group " + group);
            }
        }
    }

    private void permuteOptimized(long[] w) {
        int next = t * L;
        int scratch = 2 * t * L;
        int half = rf / 2;
        for (int r = 0; r < half; r++) {
            fullSbox(w, fullConstants, r * t * L, scratch);
            matrix(r == half - 1 ? preSparse : mdsDot, w, next, scratch);
        }
        for (int k = 0; k < rp; k++) {
            Fr.add(w, 0, partialConstants, k * L, w, 0);
            Fr.pow5(w, 0, w, 0, w, scratch);
            sparse(k, w, next, scratch);
        }
        for (int r = half; r < rf - 1; r++) {
            fullSbox(w, fullConstants, r * t * L, scratch);
            matrix(mdsDot, w, next, scratch);
        }
        // the digest is s[1]: the last round computes only that row
        fullSbox(w, fullConstants, (rf - 1) * t * L, scratch);
        Fr.dot(mdsDot, t * L, w, 0, t, w, next);
        Fr.copy(w, next, w, L);
    }

    private void permutePlain(long[] w) {
        int next = t * L;
        int scratch = 2 * t * L;
        int half = rf / 2;
        int round = 0;
        for (int r = 0; r < half; r++, round++) {
            fullSbox(w, roundConstants, round * t * L, scratch);
            matrixPlain(w, next, scratch);
        }
        for (int k = 0; k < rp; k++, round++) {
            for (int i = 0; i < t; i++) {
                Fr.add(w, i * L, roundConstants, (round * t + i) * L, w, i * L);
            }
            Fr.pow5(w, 0, w, 0, w, scratch);
            matrixPlain(w, next, scratch);
        }
        for (int r = half; r < rf; r++, round++) {
            fullSbox(w, roundConstants, round * t * L, scratch);
            matrixPlain(w, next, scratch);
        }
    }

    private void fullSbox(long[] w, long[] constants, int cOff, int scratch) {
        for (int i = 0; i < t; i++) {
            Fr.add(w, i * L, constants, cOff + i * L, w, i * L);
            Fr.pow5(w, i * L, w, i * L, w, scratch);
        }
    }

    /** state = m * state, m row-major t x t in dot form. */
    private void matrix(long[] m, long[] w, int next, int scratch) {
        for (int i = 0; i < t; i++) {
            Fr.dot(m, i * t * L, w, 0, t, w, next + i * L);
        }
        System.arraycopy(w, next, w, 0, t * L);
    }

    /** state = M * state, one reduced product at a time: the plain path shares no matrix code with the fast one. */
    private void matrixPlain(long[] w, int next, int scratch) {
        for (int i = 0; i < t; i++) {
            Fr.mul(mds, i * t * L, w, 0, w, next + i * L);
            for (int j = 1; j < t; j++) {
                Fr.mul(mds, (i * t + j) * L, w, j * L, w, scratch);
                Fr.add(w, next + i * L, w, scratch, w, next + i * L);
            }
        }
        System.arraycopy(w, next, w, 0, t * L);
    }

    /** state = S_k * state. */
    private void sparse(int k, long[] w, int next, int scratch) {
        Fr.dot(sparseRows, k * t * L, w, 0, t, w, next);
        int col = k * (t - 1) * L;
        for (int i = 1; i < t; i++) {
            Fr.mul(sparseColumns, col + (i - 1) * L, w, 0, w, scratch);
            Fr.add(w, i * L, w, scratch, w, i * L);
        }
        Fr.copy(w, next, w, 0);
    }

    private static long[] dotForm(long[] m) {
        long[] out = new long[m.length];
        for (int i = 0; i < m.length; i += L) {
            Fr.toDotCoefficient(m, i, out, i);
        }
        return out;
    }

    private static long[] limbs(List<BigInteger> values) {
        long[] out = new long[values.size() * L];
        for (int i = 0; i < values.size(); i++) {
            Fr.fromBigInteger(values.get(i)).toLimbs(out, i * L);
        }
        return out;
    }
}
