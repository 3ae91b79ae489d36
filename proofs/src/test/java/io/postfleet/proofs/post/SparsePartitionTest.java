package io.postfleet.proofs.post;

import io.postfleet.proofs.TestHashing;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.TimedHashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.TreeRLastBuilder;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SparsePartitionTest {

    @TempDir
    Path dir;

    final HashBackend backend = TestHashing.backend();
    static final byte[] RANDOMNESS = TestSectors.randomNode(new SplittableRandom(11));

    static SparsePartition.Spec spec(SectorSize size, int sectors, long seed) {
        return new SparsePartition.Spec(size, sectors, seed, RANDOMNESS, 1000);
    }

    SparsePartition.Built build(Path into, SparsePartition.Spec spec) throws IOException {
        return new SparsePartition(backend).build(into, spec, n -> { });
    }

    PartitionProof prove(SparsePartition.Built b, HashBackend with) {
        try (PartitionProver prover = new PartitionProver(with, ProverSettings.defaults())) {
            return prover.proveWindow(b.spec().size(), ApiVersion.V1_2, 0, 1000, RANDOMNESS, b.provingSectors());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SectorSize.class, names = {"GIB_32", "GIB_64"})
    void aFullSizePartitionOfAFewSectorsIsProvenAndAccepted(SectorSize size) throws Exception {
        SparsePartition.Built b = build(dir, spec(size, 3, 5));
        assertFalse(b.reused());
        assertEquals(3, b.manifest().sectors().size());
        assertEquals(size.bytes(), Files.size(b.manifest().files(b.manifest().entry(2)).sealed()));

        PartitionProof proof = prove(b, backend);
        assertEquals(List.of(), proof.skipped());
        assertEquals(3, proof.proven().size());
        assertEquals(size.windowPartitionSectors(), proof.sectors().size());
        Verdict v = new PostVerifier(backend).verifyWindow(size, ApiVersion.V1_2, 0, RANDOMNESS, b.records(), proof);
        assertEquals(new Verdict.Valid(), v);
    }

    @Test
    void replicaAndTreeFilesHoldOnlyTheChallengedSegmentsAndTheirNodes() throws Exception {
        SparsePartition.Built b = build(dir, spec(SectorSize.GIB_32, 3, 5));
        TreeShape shape = SectorSize.GIB_32.shape();
        long logical = 0;
        try (var files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                logical += Files.size(p);
            }
        }
        assertTrue(logical > 3 * SectorSize.GIB_32.bytes(), "logical size " + logical);
        // per sector: 10 segments of 512 nodes, at most 6 groups of 8 nodes per challenge, 8 base roots, p_aux
        long most = 3 * (10L * shape.segmentWidth() * Node.SIZE + 10 * 6 * 8 * Node.SIZE + 8 * Node.SIZE + 64);
        assertTrue(b.bytesWritten() <= most, b.bytesWritten() + " bytes written, at most " + most + " expected");
        assertTrue(b.bytesWritten() >= 3 * 10L * shape.segmentWidth() * Node.SIZE, "segments not all written");

        long allocatedKiB = allocatedKiB(dir);
        // 27 files of 4 KiB blocks at least, far below the 96 GiB the files claim
        assertTrue(allocatedKiB < 16 * 1024, allocatedKiB + " KiB allocated for " + logical + " logical bytes");
    }

    /** What {@code du -sk} reports: the blocks the files really occupy (POSIX; skipped where there is no du). */
    static long allocatedKiB(Path p) throws Exception {
        Process du;
        try {
            du = new ProcessBuilder("du", "-sk", p.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no du: " + e.getMessage());
            return -1;
        }
        String text = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(du.waitFor() == 0, "du failed: " + text);
        return Long.parseLong(text.split("\\s+")[0]);
    }

    @Test
    void challengedSegmentsHoldDistinctDataAndTheProverHashesEachOnce() throws Exception {
        SparsePartition.Built b = build(dir, spec(SectorSize.GIB_32, 3, 5));
        int seg = SectorSize.GIB_32.shape().segmentWidth();
        Set<ByteBuffer> contents = new HashSet<>();
        Set<String> places = new HashSet<>();
        int challenges = 0;
        for (Manifest.Entry e : b.manifest().sectors()) {
            SectorFiles f = b.manifest().files(e);
            for (long leaf : ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_2, RANDOMNESS, e.id(), e.id())) {
                challenges++;
                long start = leaf / seg * seg;
                if (places.add(e.id() + ":" + start)) {
                    byte[] segment = read(f.sealed(), start * Node.SIZE, seg * Node.SIZE);
                    assertFalse(Arrays.equals(segment, new byte[segment.length]), "segment of leaf " + leaf + " is a hole");
                    contents.add(ByteBuffer.wrap(segment));
                }
            }
        }
        assertEquals(30, challenges);
        assertEquals(30, places.size(), "with this seed no two challenges of a sector share a segment");
        assertEquals(30, contents.size(), "every challenged segment holds its own data");
        assertEquals(30, b.distinctSegments());

        TimedHashBackend timed = new TimedHashBackend(backend);
        PartitionProof proof = prove(b, timed);
        assertEquals(List.of(), proof.skipped());
        assertEquals(30, timed.usage().subtrees(), "the prover rebuilds every challenged segment once");
    }

    @Test
    void aTamperedSegmentGetsItsSectorSkippedAndTheOthersStillVerify() throws Exception {
        SparsePartition.Built b = build(dir, spec(SectorSize.GIB_32, 3, 5));
        Manifest.Entry victim = b.manifest().entry(1);
        long leaf = ChallengeDeriver.window(SectorSize.GIB_32, ApiVersion.V1_2, RANDOMNESS, 1, 1)[4];
        Path replica = b.manifest().files(victim).sealed();
        long at = leaf * Node.SIZE;
        byte[] node = read(replica, at, Node.SIZE);
        node[0] ^= 1; // still canonical: the low bit of the lowest byte
        try (RandomAccessFile raf = new RandomAccessFile(replica.toFile(), "rw")) {
            raf.seek(at);
            raf.write(node);
        }

        PartitionProof proof = prove(b, backend);
        assertEquals(1, proof.skipped().size());
        assertEquals(1, proof.skipped().get(0).sectorId());
        assertTrue(proof.skipped().get(0).reason().contains("does not hash to the tree file's node"),
                proof.skipped().get(0).reason());
        assertEquals(List.of(0L, 2L), proof.proven().stream().map(FallbackPoStSectorProof::sectorId).toList());
        assertEquals(new Verdict.Valid(), new PostVerifier(backend).verifyWindow(SectorSize.GIB_32, ApiVersion.V1_2, 0,
                RANDOMNESS, b.records(), proof));
    }

    @Test
    void aMatchingStampIsReusedAndAnotherSpecRebuilds() throws Exception {
        SparsePartition.Built first = build(dir, spec(SectorSize.GIB_32, 2, 5));
        Path replica = first.manifest().files(first.manifest().entry(0)).sealed();
        long modified = Files.getLastModifiedTime(replica).toMillis();

        SparsePartition.Built again = build(dir, spec(SectorSize.GIB_32, 2, 5));
        assertTrue(again.reused());
        assertEquals(first.bytesWritten(), again.bytesWritten());
        assertEquals(first.distinctSegments(), again.distinctSegments());
        assertArrayEquals(first.manifest().entry(1).commR(), again.manifest().entry(1).commR());
        assertEquals(modified, Files.getLastModifiedTime(replica).toMillis());

        SparsePartition.Built other = build(dir, spec(SectorSize.GIB_32, 2, 6));
        assertFalse(other.reused());
        assertNotEquals(Node.hex(first.manifest().entry(1).commR()), Node.hex(other.manifest().entry(1).commR()));
        assertEquals(List.of(), prove(other, backend).skipped());
        assertTrue(build(dir, spec(SectorSize.GIB_32, 2, 6)).reused());
        assertFalse(build(dir, spec(SectorSize.GIB_32, 1, 6)).reused());
    }

    @Test
    void aFolderWithOtherFilesAndNoStampIsRefused() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> build(dir, spec(SectorSize.GIB_32, 1, 5)));
        assertTrue(e.getMessage().contains(SparsePartition.STAMP_FILE), e.getMessage());
        assertTrue(Files.exists(dir.resolve("notes.txt")));
    }

    /**
     * Small shapes, where a full tree build over the sparse replica (holes read as zeros) is cheap: every node the
     * builder wrote equals the full build's, and so do the roots.
     */
    @ParameterizedTest
    @EnumSource(value = SectorSize.class, names = {"KIB_32", "MIB_8"})
    void writtenTreeNodesEqualAFullBuildOverTheSameReplica(SectorSize size) throws Exception {
        SparsePartition.Built b = build(dir.resolve("sparse"), spec(size, 1, 5));
        Manifest.Entry e = b.manifest().entry(0);
        SectorFiles f = b.manifest().files(e);
        TreeRLastBuilder.Built full = new TreeRLastBuilder(backend).build(size.shape(), f.sealed(), dir.resolve("full"));
        assertEquals(Node.hex(full.commRLast()), Node.hex(e.commRLast()));
        int compared = 0;
        for (int k = 0; k < size.shape().baseTreeCount(); k++) {
            byte[] sparse = Files.readAllBytes(f.treeFile(size.shape(), k));
            byte[] built = Files.readAllBytes(dir.resolve("full").resolve(size.shape().treeFileName(k)));
            assertEquals(built.length, sparse.length);
            for (int n = 0; n < sparse.length; n += Node.SIZE) {
                if (!Node.equal(sparse, n, new byte[Node.SIZE], 0)) {
                    assertEquals(Node.hex(built, n), Node.hex(sparse, n), "tree " + k + " node " + n / Node.SIZE);
                    compared++;
                }
            }
        }
        assertTrue(compared >= size.shape().baseTreeCount(), compared + " nodes written");
        assertEquals(List.of(), prove(b, backend).skipped());
    }

    static byte[] read(Path file, long at, int length) throws IOException {
        byte[] b = new byte[length];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(at);
            raf.readFully(b);
        }
        return b;
    }
}
