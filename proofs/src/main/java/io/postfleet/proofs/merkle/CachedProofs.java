package io.postfleet.proofs.merkle;

import io.postfleet.proofs.hash.HashBackend;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inclusion proofs from a tree whose low rows were discarded (upstream gen_cached_proof): the aligned replica segment
 * under the challenged leaf's lowest cached node is rebuilt, the path is taken from that small tree, then from the
 * cache file's stored rows, then from the sub and top layers. Segments of many leaves (of many sectors) are hashed
 * together, so a whole partition is a few backend calls per tree level.
 */
public final class CachedProofs {

    private CachedProofs() {
    }

    /** What one challenged leaf needs from disk: its replica segment and, per stored row below the root, its group. */
    public record LeafReads(long leaf, byte[] segment, List<byte[]> cachedGroups) {
    }

    /** A proof, or why none could be made from what was read. */
    public record Assembled(MerkleProof proof, String fault) {
    }

    /**
     * Reads the segment and cached groups for {@code leaf}.
     *
     * @throws IOException naming the file that could not be read
     * @throws IllegalArgumentException naming the replica node that is not canonical
     */
    public static LeafReads read(TreeShape shape, FileChannel replica, Path replicaPath, TreeCacheFile[] trees, long leaf)
            throws IOException {
        int k = Math.toIntExact(leaf / shape.baseLeaves());
        long j = leaf % shape.baseLeaves();
        int seg = shape.segmentWidth();
        long segStart = k * shape.baseLeaves() + (j / seg) * seg;
        byte[] segment = new byte[seg * Node.SIZE];
        TreeCacheFile.readFully(replica, segStart * Node.SIZE, segment, replicaPath);
        long bad = Node.firstNonCanonical(segment, 0, seg);
        if (bad >= 0) {
            throw new IllegalArgumentException("replica " + replicaPath + " node " + (segStart + bad)
                    + " is not a canonical field element (corrupt replica)");
        }
        List<byte[]> groups = new ArrayList<>();
        int arity = shape.baseArity();
        for (int r = shape.firstCachedRow(); r <= shape.baseRowCount() - 2; r++) {
            long column = (j / TreeShape.pow(arity, r)) / arity * arity;
            groups.add(trees[k].readRow(r, column, arity));
        }
        return new LeafReads(leaf, segment, groups);
    }

    /**
     * Builds the proofs for {@code reads}, each against the tree top at the same position of {@code tops}. All
     * distinct segments are hashed in one batch: {@link TreeShape#firstCachedRow()} backend calls in all.
     */
    public static List<Assembled> assemble(HashBackend backend, TreeShape shape, List<LeafReads> reads, List<TreeTop> tops) {
        int n = reads.size();
        int seg = shape.segmentWidth();
        int arity = shape.baseArity();
        int levels = shape.firstCachedRow();
        List<Assembled> out = new ArrayList<>(n);
        if (n == 0) {
            return out;
        }
        // Challenges that fall into the same segment (the same bytes: same sector, same place) share its rebuild.
        DistinctInputs segments = new DistinctInputs();
        int[] slot = new int[n];
        List<byte[]> distinct = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] segment = reads.get(i).segment();
            slot[i] = segments.slot(segment);
            if (slot[i] == distinct.size()) {
                distinct.add(segment);
            }
        }
        int u = distinct.size();
        byte[] all = new byte[Math.multiplyExact(u, seg * Node.SIZE)];
        for (int d = 0; d < u; d++) {
            System.arraycopy(distinct.get(d), 0, all, d * seg * Node.SIZE, seg * Node.SIZE);
        }
        byte[] rows = backend.hashLevels(arity, all, 0, (long) u * seg, levels);
        long[] rowOffset = new long[levels + 1];
        long off = 0;
        for (int r = 1; r <= levels; r++) {
            rowOffset[r] = off;
            off += (long) u * seg / TreeShape.pow(arity, r);
        }
        for (int i = 0; i < n; i++) {
            LeafReads rd = reads.get(i);
            int at = slot[i];
            TreeTop top = tops.get(i);
            int k = Math.toIntExact(rd.leaf() / shape.baseLeaves());
            long j = rd.leaf() % shape.baseLeaves();
            int o = (int) (j % seg);
            List<PathElement> path = new ArrayList<>(shape.pathLength());
            for (int r = 0; r < levels; r++) {
                int width = (int) (seg / TreeShape.pow(arity, r));
                int pos = (int) (o / TreeShape.pow(arity, r));
                byte[] src = r == 0 ? rd.segment() : rows;
                int base = r == 0 ? 0 : Math.toIntExact((rowOffset[r] + (long) at * width) * Node.SIZE);
                path.add(groupElement(src, base + (pos / arity * arity) * Node.SIZE, arity, pos % arity));
            }
            byte[] segRoot = Node.copy(rows, Math.toIntExact((rowOffset[levels] + at) * Node.SIZE));
            long jc = j / seg;
            byte[] cachedSegRoot;
            if (rd.cachedGroups().isEmpty()) {
                cachedSegRoot = top.baseRoots().get(k);
            } else {
                cachedSegRoot = Node.copy(rd.cachedGroups().get(0), (int) (jc % arity) * Node.SIZE);
            }
            if (!Arrays.equals(segRoot, cachedSegRoot)) {
                out.add(new Assembled(null, "replica segment of leaf " + rd.leaf() + " (nodes " + (rd.leaf() - o) + ".."
                        + (rd.leaf() - o + seg - 1) + ") does not hash to the tree file's node: corrupt replica or tree file"));
                continue;
            }
            for (int g = 0; g < rd.cachedGroups().size(); g++) {
                int r = levels + g;
                long pos = j / TreeShape.pow(arity, r);
                path.add(groupElement(rd.cachedGroups().get(g), 0, arity, (int) (pos % arity)));
            }
            PathElement sub = top.subElement(k);
            if (sub != null) {
                path.add(sub);
            }
            PathElement t = top.topElement(k);
            if (t != null) {
                path.add(t);
            }
            byte[] leafValue = Node.copy(rd.segment(), o * Node.SIZE);
            out.add(new Assembled(MerkleProof.of(shape, top.root(), leafValue, path), null));
        }
        return out;
    }

    private static PathElement groupElement(byte[] src, int groupOff, int arity, int index) {
        byte[] sib = new byte[(arity - 1) * Node.SIZE];
        int o = 0;
        for (int c = 0; c < arity; c++) {
            if (c != index) {
                System.arraycopy(src, groupOff + c * Node.SIZE, sib, o, Node.SIZE);
                o += Node.SIZE;
            }
        }
        return new PathElement(sib, index);
    }
}
