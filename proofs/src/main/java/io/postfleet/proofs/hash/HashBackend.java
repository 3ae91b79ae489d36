package io.postfleet.proofs.hash;

/**
 * Where Poseidon hashing runs: the CPU path or an OpenCL device. Every backend is bit-for-bit equal to the CPU path.
 *
 * <p>Elements are 32-byte little-endian canonical BLS12-381 Fr values laid out back to back, the same layout as a
 * sealed replica and as the rows of a tree_r_last cache file, so a tree level is one call over the row below it.
 */
public interface HashBackend extends AutoCloseable {

    /** What an operator sees in logs, status and metrics, e.g. {@code cpu} or {@code opencl:0 NVIDIA H100}. */
    String description();

    /**
     * Hashes {@code count} groups of {@code arity} consecutive elements read from {@code in} at {@code inOff} with
     * Poseidon of that arity (Filecoin MerkleTree domain tag), writing {@code count} digests to {@code out} at
     * {@code outOff}. Inputs must be canonical; a non-canonical element is an error naming its group.
     */
    void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff);

    /**
     * Builds {@code levels} rows of an arity-{@code arity} Merkle tree above {@code leafCount} leaves (a multiple of
     * arity^levels), returning the rows concatenated bottom-up (row 1, row 2, ...). Backends that keep rows on the
     * device override this to avoid one transfer per level.
     */
    default byte[] hashLevels(int arity, byte[] leaves, int leavesOff, long leafCount, int levels) {
        long total = 0;
        long width = leafCount;
        for (int l = 0; l < levels; l++) {
            if (width % arity != 0) {
                throw new IllegalArgumentException(leafCount + " leaves do not fill " + levels + " levels of arity " + arity);
            }
            width /= arity;
            total += width;
        }
        byte[] rows = new byte[Math.toIntExact(total * 32)];
        byte[] src = leaves;
        int srcOff = leavesOff;
        int dstOff = 0;
        width = leafCount;
        for (int l = 0; l < levels; l++) {
            int groups = Math.toIntExact(width / arity);
            hashGroups(arity, src, srcOff, groups, rows, dstOff);
            src = rows;
            srcOff = dstOff;
            dstOff += groups * 32;
            width = groups;
        }
        return rows;
    }

    @Override
    default void close() {
    }
}
