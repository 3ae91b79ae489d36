package io.postfleet.proofs.merkle;

import io.postfleet.proofs.TestHashing;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tree_r_last files against a naive full tree built level by level with the reference Poseidon. */
class TreeRLastBuilderTest {

    @TempDir
    Path dir;

    final HashBackend backend = TestHashing.backend();

    /** Every row of one base tree, bottom-up, built one hash at a time. */
    static List<byte[]> naiveRows(ReferencePoseidon p, byte[] leaves) {
        List<byte[]> rows = new ArrayList<>();
        rows.add(leaves);
        byte[] cur = leaves;
        while (cur.length > Node.SIZE) {
            byte[] next = new byte[cur.length / 8];
            for (int g = 0; g < next.length / Node.SIZE; g++) {
                p.hashGroups(8, cur, g * 8 * Node.SIZE, 1, next, g * Node.SIZE);
            }
            rows.add(next);
            cur = next;
        }
        return rows;
    }

    @ParameterizedTest
    @EnumSource(value = SectorSize.class, names = {"KIB_2", "KIB_4", "KIB_16", "KIB_32"})
    void cacheFilesHoldTheUpperRowsAndTheRootsJoinAsTheShapeSays(SectorSize size) throws Exception {
        Path replica = dir.resolve("replica");
        TestSectors.writeReplica(replica, size.bytes(), new SplittableRandom(size.ordinal()));
        TreeShape shape = size.shape();
        TreeRLastBuilder.Built built = new TreeRLastBuilder(backend).build(shape, replica, dir.resolve("cache"));

        byte[] all = Files.readAllBytes(replica);
        ReferencePoseidon ref = new ReferencePoseidon();
        List<byte[]> roots = new ArrayList<>();
        for (int k = 0; k < shape.baseTreeCount(); k++) {
            int w = (int) shape.baseLeaves() * Node.SIZE;
            List<byte[]> rows = naiveRows(ref, Arrays.copyOfRange(all, k * w, (k + 1) * w));
            byte[] expected = new byte[0];
            for (int r = shape.firstCachedRow(); r < rows.size(); r++) {
                expected = concat(expected, rows.get(r));
            }
            Path file = dir.resolve("cache").resolve(shape.treeFileName(k));
            assertEquals(shape.cacheFileBytes(), Files.size(file));
            assertArrayEquals(expected, Files.readAllBytes(file), "cache file " + k);
            roots.add(rows.get(rows.size() - 1));
        }
        byte[] root;
        if (shape.subArity() == 0) {
            root = roots.get(0);
        } else {
            List<byte[]> subs = new ArrayList<>();
            for (int s = 0; s < roots.size(); s += shape.subArity()) {
                subs.add(PathRoots.hash(ref, shape.subArity(), concat(roots.subList(s, s + shape.subArity()))));
            }
            root = shape.topArity() == 0 ? subs.get(0) : PathRoots.hash(ref, 2, concat(subs));
        }
        assertArrayEquals(root, built.commRLast());
        assertTrue(Node.isCanonical(root));
    }

    /** 4,096 leaves: rows_to_discard 2, 512-leaf segments, two stored rows below the root, as production trees. */
    @Test
    void aTreeWithDiscardedRowsIsBuiltInParallelPartsAndItsCachedProofsOpenEveryChallengedLeaf() throws Exception {
        TreeShape shape = new TreeShape(4096, 8, 0, 0);
        assertEquals(2, shape.rowsToDiscard());
        assertEquals(512, shape.segmentWidth());
        assertEquals(8 + 1, shape.cacheElements());
        Path replica = dir.resolve("replica");
        TestSectors.writeReplica(replica, 4096 * 32, new SplittableRandom(3));
        TreeRLastBuilder.Built one = new TreeRLastBuilder(backend, 1).build(shape, replica, dir.resolve("c1"));
        TreeRLastBuilder.Built three = new TreeRLastBuilder(backend, 3).build(shape, replica, dir.resolve("c3"));
        TreeRLastBuilder.Built chunked = new TreeRLastBuilder(backend, 2, 1024).build(shape, replica, dir.resolve("c4"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("c3").resolve(shape.treeFileName(0))),
                Files.readAllBytes(dir.resolve("c4").resolve(shape.treeFileName(0))), "streamed in 4 chunks");
        assertArrayEquals(one.commRLast(), chunked.commRLast());
        List<byte[]> rows = naiveRows(new ReferencePoseidon(), Files.readAllBytes(replica));
        assertArrayEquals(rows.get(4), one.commRLast());
        assertArrayEquals(concat(rows.get(3), rows.get(4)), Files.readAllBytes(dir.resolve("c3").resolve(shape.treeFileName(0))));
        assertArrayEquals(one.commRLast(), three.commRLast());

        long[] leaves = {0, 1, 7, 8, 511, 512, 1000, 2047, 2048, 4095};
        List<CachedProofs.LeafReads> reads = new ArrayList<>();
        List<TreeTop> tops = new ArrayList<>();
        try (TreeCacheFile tree = TreeCacheFile.open(dir.resolve("c1").resolve(shape.treeFileName(0)), shape);
             java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(replica)) {
            TreeTop top = TreeTop.read(backend, shape, new TreeCacheFile[] {tree});
            for (long leaf : leaves) {
                reads.add(CachedProofs.read(shape, ch, replica, new TreeCacheFile[] {tree}, leaf));
                tops.add(top);
            }
        }
        List<MerkleProof> proofs = new ArrayList<>();
        CountingBackend counting = new CountingBackend(backend);
        for (CachedProofs.Assembled a : CachedProofs.assemble(counting, shape, reads, tops)) {
            assertEquals(null, a.fault());
            proofs.add(a.proof());
        }
        // leaves of one segment (0, 1 and 7 at least) share its rebuild
        long distinctSegments = Arrays.stream(leaves).map(l -> l / shape.segmentWidth()).distinct().count();
        assertEquals(distinctSegments * shape.segmentWidth(), counting.levelLeaves);
        long before = counting.groups;
        byte[][] roots = PathRoots.compute(counting, proofs);
        // paths that meet are hashed once from there up: per level, one hash per distinct group of 8
        long distinctGroups = 0;
        for (int level = 0; level < 4; level++) {
            int shift = 3 * (level + 1);
            distinctGroups += Arrays.stream(leaves).map(l -> l >> shift).distinct().count();
        }
        assertEquals(distinctGroups, counting.groups - before);
        for (int i = 0; i < leaves.length; i++) {
            assertArrayEquals(PathRoots.compute(backend, List.of(proofs.get(i)))[0], roots[i], "alone, leaf " + leaves[i]);
        }
        byte[] all = Files.readAllBytes(replica);
        for (int i = 0; i < leaves.length; i++) {
            MerkleProof p = proofs.get(i);
            assertEquals(leaves[i], p.pathIndex());
            assertEquals(4, p.path().size());
            assertArrayEquals(one.commRLast(), roots[i], "root of leaf " + leaves[i]);
            assertArrayEquals(Arrays.copyOfRange(all, (int) leaves[i] * 32, (int) leaves[i] * 32 + 32), p.leaf());
            for (int level = 0; level < 4; level++) {
                long node = leaves[i] >> (3 * level);
                byte[] group = Arrays.copyOfRange(rows.get(level), (int) (node / 8 * 8) * 32, (int) (node / 8 * 8 + 8) * 32);
                byte[] children = new byte[8 * 32];
                PathElement e = p.path().get(level);
                e.children(rows.get(level), (int) node * 32, children, 0);
                assertArrayEquals(group, children, "level " + level + " of leaf " + leaves[i]);
            }
        }
    }

    @Test
    void aNonCanonicalReplicaNodeIsNamed() throws Exception {
        Path replica = dir.resolve("replica");
        TestSectors.writeReplica(replica, 2048, new SplittableRandom(1));
        byte[] b = Files.readAllBytes(replica);
        b[5 * 32 + 31] = (byte) 0xff;
        Files.write(replica, b);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new TreeRLastBuilder(backend).build(SectorSize.KIB_2.shape(), replica, dir.resolve("c")));
        assertTrue(e.getMessage().contains("node 5"), e.getMessage());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            out = concat(out, p);
        }
        return out;
    }

    /** Counts what goes through a real backend: groups hashed one by one and leaves handed to whole-level hashing. */
    private static final class CountingBackend implements HashBackend {
        private final HashBackend real;
        long groups;
        long levelLeaves;

        CountingBackend(HashBackend real) {
            this.real = real;
        }

        @Override
        public String description() {
            return "counting " + real.description();
        }

        @Override
        public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
            groups += count;
            real.hashGroups(arity, in, inOff, count, out, outOff);
        }

        @Override
        public byte[] hashLevels(int arity, byte[] leaves, int leavesOff, long leafCount, int levels) {
            levelLeaves += leafCount;
            return real.hashLevels(arity, leaves, leavesOff, leafCount, levels);
        }
    }
}
