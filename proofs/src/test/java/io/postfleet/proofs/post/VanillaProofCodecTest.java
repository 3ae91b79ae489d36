package io.postfleet.proofs.post;

import io.postfleet.proofs.TestHashing;
import io.postfleet.proofs.merkle.MerkleProof;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.PathElement;
import io.postfleet.proofs.merkle.TreeShape;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.PersistentAux;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** bincode of FallbackPoStSectorProof, docs/post-spec.md section 5.1. */
class VanillaProofCodecTest {

    @TempDir
    Path dir;

    /** A proof of the right shape with random nodes: enough for sizes and round trips. */
    static FallbackPoStSectorProof synthetic(SectorSize size, int challenges, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TreeShape shape = size.shape();
        List<MerkleProof> incl = new ArrayList<>();
        for (int c = 0; c < challenges; c++) {
            List<PathElement> path = new ArrayList<>();
            for (int l = 0; l < shape.pathLength(); l++) {
                int arity = l < shape.basePathLength() ? 8 : l == shape.basePathLength() ? shape.subArity() : shape.topArity();
                byte[] sib = new byte[(arity - 1) * 32];
                for (int s = 0; s < arity - 1; s++) {
                    System.arraycopy(TestSectors.randomNode(r), 0, sib, s * 32, 32);
                }
                path.add(new PathElement(sib, r.nextInt(arity)));
            }
            incl.add(MerkleProof.of(shape, TestSectors.randomNode(r), TestSectors.randomNode(r), path));
        }
        return new FallbackPoStSectorProof(r.nextLong() >>> 1, TestSectors.randomNode(r),
                new SectorProof(incl, TestSectors.randomNode(r), TestSectors.randomNode(r)));
    }

    @Test
    void sizesOfTheSpec() {
        assertEquals(5_680, VanillaProofCodec.encode(synthetic(SectorSize.KIB_2, 10, 1)).length);
        assertEquals(15_280, VanillaProofCodec.encode(synthetic(SectorSize.MIB_8, 10, 2)).length);
        assertEquals(20_080, VanillaProofCodec.encode(synthetic(SectorSize.MIB_512, 10, 3)).length);
        assertEquals(24_960, VanillaProofCodec.encode(synthetic(SectorSize.GIB_32, 10, 4)).length);
        assertEquals(164_064, VanillaProofCodec.encode(synthetic(SectorSize.GIB_32, 66, 5)).length);
        assertEquals(25_520, VanillaProofCodec.encode(synthetic(SectorSize.GIB_64, 10, 6)).length);
        assertEquals(167_760, VanillaProofCodec.encode(synthetic(SectorSize.GIB_64, 66, 7)).length);
    }

    @Test
    void roundTripsEveryVariant() {
        for (SectorSize s : new SectorSize[] {SectorSize.KIB_2, SectorSize.KIB_4, SectorSize.KIB_16, SectorSize.KIB_32,
                SectorSize.GIB_32, SectorSize.GIB_64}) {
            byte[] b = VanillaProofCodec.encode(synthetic(s, 10, s.ordinal()));
            assertArrayEquals(b, VanillaProofCodec.encode(VanillaProofCodec.decode(b)), s.label());
        }
    }

    @Test
    void fieldsLieAtTheirByteOffsets() throws Exception {
        Manifest m = new TestSectors(TestHashing.backend()).pledge(dir, SectorSize.KIB_2, 1000, 1, 42, 3, false, n -> { });
        Manifest.Entry e = m.entry(42);
        byte[] randomness = TestSectors.randomNode(new SplittableRandom(8));
        long[] ch = ChallengeDeriver.window(SectorSize.KIB_2, ApiVersion.V1_2, randomness, 42, 0);
        FallbackPoStSectorProof proof = new PartitionProver(TestHashing.backend(), ProverSettings.defaults())
                .vanillaProof(SectorSize.KIB_2, new ProvingSector(42, e.commR(), m.files(e)), ch);
        byte[] b = VanillaProofCodec.encode(proof);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        byte[] replica = Files.readAllBytes(m.files(e).sealed());
        PersistentAux aux = PersistentAux.read(m.files(e).pAux());

        assertEquals(5_680, b.length);
        assertEquals(42, le.getLong(0), "sector_id");
        assertArrayEquals(e.commR(), Arrays.copyOfRange(b, 8, 40), "comm_r");
        assertEquals(1, le.getLong(40), "one SectorProof");
        assertEquals(10, le.getLong(48), "ten inclusion proofs");
        for (int n = 0; n < 10; n++) {
            int at = 56 + n * 556;
            assertEquals(0, le.getInt(at), "Single variant");
            assertArrayEquals(aux.commRLast(), Arrays.copyOfRange(b, at + 4, at + 36), "root");
            int leaf = (int) ch[n];
            assertArrayEquals(Arrays.copyOfRange(replica, leaf * 32, leaf * 32 + 32), Arrays.copyOfRange(b, at + 36, at + 68), "leaf");
            assertEquals(2, le.getLong(at + 68), "path elements");
            assertEquals(7, le.getLong(at + 76), "siblings of level 0");
            assertEquals(leaf % 8, le.getLong(at + 76 + 8 + 224), "index of level 0");
            assertEquals(7, le.getLong(at + 316), "siblings of level 1");
            assertEquals(leaf / 8, le.getLong(at + 316 + 8 + 224), "index of level 1");
        }
        assertArrayEquals(aux.commC(), Arrays.copyOfRange(b, 5616, 5648), "comm_c");
        assertArrayEquals(aux.commRLast(), Arrays.copyOfRange(b, 5648, 5680), "comm_r_last");
    }

    @Test
    void malformedBytesAreRefusedNotMisread() {
        byte[] b = VanillaProofCodec.encode(synthetic(SectorSize.KIB_2, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> VanillaProofCodec.decode(Arrays.copyOf(b, b.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> VanillaProofCodec.decode(Arrays.copyOf(b, b.length + 1)));
        byte[] tag = b.clone();
        tag[56] = 3;
        assertThrows(IllegalArgumentException.class, () -> VanillaProofCodec.decode(tag));
        byte[] huge = b.clone();
        huge[48 + 7] = 0x7f;
        assertThrows(IllegalArgumentException.class, () -> VanillaProofCodec.decode(huge));
    }

    @Test
    void bundlesRoundTripWithSkippedSectors() {
        PartitionProof p = new PartitionProof(List.of(synthetic(SectorSize.KIB_2, 10, 1), synthetic(SectorSize.KIB_2, 10, 2)),
                List.of(new SkippedSector(7, "replica /x/sealed/s-t01000-7 is missing — ü")));
        PartitionProof back = ProofBundle.decode(ProofBundle.encode(p));
        assertArrayEquals(ProofBundle.encode(p), ProofBundle.encode(back));
        assertEquals(p.skipped(), back.skipped());
        assertThrows(IllegalArgumentException.class, () -> ProofBundle.decode(new byte[] {1, 2, 3}));
        assertEquals(Node.SIZE, back.sectors().get(0).commR().length);
    }
}
