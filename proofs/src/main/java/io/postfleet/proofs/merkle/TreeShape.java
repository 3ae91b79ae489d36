package io.postfleet.proofs.merkle;

/**
 * The shape of a tree_r_last: {@code leaves} replica nodes split into {@code baseTreeCount()} arity-8 base trees,
 * whose roots are joined by an optional sub layer ({@code subArity} roots per sub-root) and an optional top layer.
 * Everything about the on-disk cache (rows kept, file size, proof segment width) follows from it, as upstream.
 */
public record TreeShape(long leaves, int baseArity, int subArity, int topArity) {

    /** Upstream DEFAULT_ROWS_TO_DISCARD for arities other than 2 and 4 (FIL_PROOFS_ROWS_TO_DISCARD unset). */
    public static final int DEFAULT_ROWS_TO_DISCARD = 2;

    public TreeShape {
        if (baseArity != 8 || (subArity != 0 && subArity != 2 && subArity != 8) || (topArity != 0 && topArity != 2)
                || (topArity != 0 && subArity == 0)) {
            throw new IllegalArgumentException("unsupported tree shape " + baseArity + "-" + subArity + "-" + topArity);
        }
        long base = leaves / (Math.max(subArity, 1) * (long) Math.max(topArity, 1));
        if (base < 8 || Long.bitCount(base) != 1 || Long.numberOfTrailingZeros(base) % 3 != 0) {
            throw new IllegalArgumentException(leaves + " leaves do not form arity-8 base trees of shape "
                    + baseArity + "-" + subArity + "-" + topArity);
        }
    }

    public int baseTreeCount() {
        return Math.max(subArity, 1) * Math.max(topArity, 1);
    }

    public long baseLeaves() {
        return leaves / baseTreeCount();
    }

    /** Rows of one base tree counting the leaves and the root. */
    public int baseRowCount() {
        return rowCount(baseLeaves(), baseArity);
    }

    public int rowsToDiscard() {
        return rowsToDiscard(baseLeaves(), baseArity);
    }

    /** Elements in one base tree's cache file: the rows above the discarded ones, up to and including the root. */
    public long cacheElements() {
        return cacheElements(baseLeaves(), baseArity, rowsToDiscard());
    }

    public long cacheFileBytes() {
        return cacheElements() * Node.SIZE;
    }

    /** The first row stored in the cache file. */
    public int firstCachedRow() {
        return rowsToDiscard() + 1;
    }

    /** Leaves under one node of the first cached row: the replica segment a proof rebuilds. */
    public int segmentWidth() {
        return Math.toIntExact(pow(baseArity, firstCachedRow()));
    }

    /** Width of base-tree row {@code row} (0 = leaves). */
    public long rowWidth(int row) {
        return baseLeaves() / pow(baseArity, row);
    }

    /** Element offset of {@code row} inside the cache file; only rows from {@link #firstCachedRow()} are stored. */
    public long cacheRowOffset(int row) {
        if (row < firstCachedRow() || row >= baseRowCount()) {
            throw new IllegalArgumentException("row " + row + " is not stored in the cache file");
        }
        long off = 0;
        for (int r = firstCachedRow(); r < row; r++) {
            off += rowWidth(r);
        }
        return off;
    }

    public int basePathLength() {
        return baseRowCount() - 1;
    }

    /** Upstream compound_path_length: path elements of an inclusion proof for this shape. */
    public int pathLength() {
        return basePathLength() + (subArity > 0 ? 1 : 0) + (topArity > 0 ? 1 : 0);
    }

    /** {@code sc-02-data-tree-r-last.dat}, or {@code sc-02-data-tree-r-last-<k>.dat} when there are several base trees. */
    public String treeFileName(int baseTree) {
        return baseTreeCount() == 1 ? "sc-02-data-tree-r-last.dat" : "sc-02-data-tree-r-last-" + baseTree + ".dat";
    }

    public String label() {
        return baseArity + "-" + subArity + "-" + topArity;
    }

    /** Rows including leaves and root; integer log where upstream uses f64 (same values for powers of the arity). */
    public static int rowCount(long leaves, int arity) {
        int rows = 1;
        for (long w = leaves; w > 1; w /= arity) {
            rows++;
        }
        return rows;
    }

    /** Upstream default_rows_to_discard. */
    public static int rowsToDiscard(long leaves, int arity) {
        int rows = rowCount(leaves, arity);
        if (rows <= 2) {
            return 0;
        }
        if (rows == 3) {
            return 1;
        }
        int cap = arity == 2 ? 7 : arity == 4 ? 5 : DEFAULT_ROWS_TO_DISCARD;
        return Math.min(rows - 2, cap);
    }

    /** Upstream get_merkle_tree_cache_size. */
    public static long cacheElements(long leaves, int arity, int rowsToDiscard) {
        int rows = rowCount(leaves, arity);
        long total = 0;
        long w = leaves;
        for (int r = 0; r < rows; r++) {
            if (r > rowsToDiscard) {
                total += w;
            }
            w /= arity;
        }
        return total;
    }

    static long pow(int base, int exp) {
        long r = 1;
        for (int i = 0; i < exp; i++) {
            r *= base;
        }
        return r;
    }
}
