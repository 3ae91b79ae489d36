package io.postfleet.proofs.post;

import io.postfleet.proofs.TestHashing;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PostVerifierTest {

    @TempDir
    Path dir;

    final HashBackend backend = TestHashing.backend();
    final byte[] randomness = TestSectors.randomNode(new SplittableRandom(11));
    Manifest m;
    PostVerifier verifier;

    @BeforeEach
    void pledge() throws Exception {
        m = new TestSectors(backend).pledge(dir, SectorSize.KIB_2, 1000, 3, 0, 5, false, n -> { });
        verifier = new PostVerifier(backend);
    }

    SortedMap<Long, byte[]> records(long... ids) {
        SortedMap<Long, byte[]> r = new TreeMap<>();
        for (long id : ids) {
            r.put(id, m.entry(id).commR());
        }
        return r;
    }

    PartitionProof prove(byte[] rand, long... ids) {
        List<ProvingSector> s = new ArrayList<>();
        for (long id : ids) {
            s.add(new ProvingSector(id, m.entry(id).commR(), m.files(m.entry(id))));
        }
        return new PartitionProver(backend, ProverSettings.defaults()).proveWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, 1000, rand, s);
    }

    Verdict verify(byte[] bundle, SortedMap<Long, byte[]> rec) {
        PartitionProof p;
        try {
            p = ProofBundle.decode(bundle);
        } catch (IllegalArgumentException e) {
            return new Verdict.Invalid(e.getMessage());
        }
        return verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, rec, p);
    }

    @Test
    void flippingOneBitAtEveryBytePositionOfAFullPartitionMakesTheProofInvalid() {
        flipEveryByte(ProofBundle.encode(prove(randomness, 0, 1)), records(0, 1));
    }

    @Test
    void flippingOneBitAtEveryBytePositionOfAPaddedPartitionMakesTheProofInvalid() {
        // One sector of a two-sector partition: the bundle also holds a padding copy, which must stay an exact copy.
        flipEveryByte(ProofBundle.encode(prove(randomness, 1)), records(1));
    }

    private void flipEveryByte(byte[] bundle, SortedMap<Long, byte[]> rec) {
        assertEquals(new Verdict.Valid(), verify(bundle, rec));
        // The verifier and the CPU backend are thread-safe: spread the variants over the cores.
        int[] accepted = java.util.stream.IntStream.range(0, bundle.length).parallel().filter(pos -> {
            byte[] v = bundle.clone();
            v[pos] ^= (byte) (1 << (pos % 8));
            return verify(v, rec).valid();
        }).toArray();
        if (accepted.length > 0) {
            fail("flipping one bit of bytes " + java.util.Arrays.toString(accepted) + " of " + bundle.length
                    + " left the proof valid");
        }
    }

    @Test
    void aProofIsInvalidForAnotherCommROrAnotherRandomness() {
        PartitionProof p = prove(randomness, 0, 1);
        assertEquals(new Verdict.Valid(), verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), p));
        SortedMap<Long, byte[]> other = records(0, 1);
        other.put(1L, m.entry(2).commR());
        Verdict v = verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, other, p);
        assertTrue(v instanceof Verdict.Invalid i && i.reason().contains("comm_r"), v.toString());
        byte[] rand2 = TestSectors.randomNode(new SplittableRandom(12));
        Verdict w = verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, rand2, records(0, 1), p);
        assertTrue(w instanceof Verdict.Invalid i && i.reason().contains("challenged leaf"), w.toString());
        // A proof made for other randomness is refused for this one.
        PartitionProof p2 = prove(rand2, 0, 1);
        assertTrue(verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), p2) instanceof Verdict.Invalid);
    }

    @Test
    void everyExpectedSectorMustBeProvenOrSkipped() {
        PartitionProof p = prove(randomness, 0);
        Verdict v = verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), p);
        assertTrue(v instanceof Verdict.Invalid i && i.reason().contains("neither proven nor skipped"), v.toString());
        PartitionProof withSkip = new PartitionProof(p.sectors(), List.of(new SkippedSector(1, "replica missing")));
        assertEquals(new Verdict.Valid(), verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), withSkip));
        PartitionProof foreign = new PartitionProof(p.sectors(), List.of(new SkippedSector(9, "x")));
        assertTrue(verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), foreign) instanceof Verdict.Invalid);
    }

    @Test
    void unpaddedOrReorderedPartitionsAreInvalid() {
        PartitionProof p = prove(randomness, 0, 1);
        PartitionProof reordered = new PartitionProof(List.of(p.sectors().get(1), p.sectors().get(0)), List.of());
        assertTrue(verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0, 1), reordered) instanceof Verdict.Invalid);
        PartitionProof single = prove(randomness, 0);
        PartitionProof unpadded = new PartitionProof(single.proven(), List.of());
        assertTrue(verifier.verifyWindow(SectorSize.KIB_2, ApiVersion.V1_2, 0, randomness, records(0), unpadded) instanceof Verdict.Invalid);
    }
}
