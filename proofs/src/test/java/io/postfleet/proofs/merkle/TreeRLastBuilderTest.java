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
}
