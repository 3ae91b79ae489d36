package io.postfleet.proving.storage.lotus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.postfleet.proofs.sector.SectorSize;
import org.junit.jupiter.api.Test;

/**
 * The registered proof numbers against go-state-types (filecoin-project/go-state-types, abi/sector.go, the
 * RegisteredSealProof and RegisteredPoStProof constants): the number, the name and the sector size of each.
 */
class ProofTypesTest {

    @Test
    void postProofNumbersAreThoseOfGoStateTypes() {
        String[] expected = {
            "StackedDrgWinning2KiBV1", "StackedDrgWinning8MiBV1", "StackedDrgWinning512MiBV1",
            "StackedDrgWinning32GiBV1", "StackedDrgWinning64GiBV1",
            "StackedDrgWindow2KiBV1", "StackedDrgWindow8MiBV1", "StackedDrgWindow512MiBV1",
            "StackedDrgWindow32GiBV1", "StackedDrgWindow64GiBV1",
            "StackedDrgWindow2KiBV1_1", "StackedDrgWindow8MiBV1_1", "StackedDrgWindow512MiBV1_1",
            "StackedDrgWindow32GiBV1_1", "StackedDrgWindow64GiBV1_1"};
        String[] sizes = {"2KiB", "8MiB", "512MiB", "32GiB", "64GiB"};
        for (int v = 0; v < expected.length; v++) {
            PoStProofType t = PoStProofType.of(v);
            assertEquals(expected[v], t.name(), "RegisteredPoStProof " + v);
            assertEquals(SectorSize.parse(sizes[v % 5]), t.size(), "RegisteredPoStProof " + v);
            assertEquals(v < 5 ? PoStProofType.Kind.WINNING : PoStProofType.Kind.WINDOW, t.kind());
            assertEquals(v < 5 ? 66 : 10, t.challengesPerSector());
        }
        // the numbers the proofs library's sizes give for current window and winning proofs
        assertEquals(13, SectorSize.GIB_32.registeredWindowProof());
        assertEquals(PoStProofType.of(13).size(), SectorSize.GIB_32);
        assertEquals(10, SectorSize.KIB_2.registeredWindowProof());
        assertEquals(4, SectorSize.GIB_64.registeredWinningProof());
    }

    @Test
    void sealProofNumbersAreThoseOfGoStateTypes() {
        assertEquals("StackedDrg2KiBV1", SealProofType.of(0).name());
        assertEquals("StackedDrg32GiBV1", SealProofType.of(3).name());
        assertEquals("StackedDrg2KiBV1_1", SealProofType.of(5).name());
        assertEquals("StackedDrg32GiBV1_1", SealProofType.of(8).name());
        assertEquals("StackedDrg64GiBV1_1", SealProofType.of(9).name());
        assertEquals("StackedDrg2KiBV1_1_Feat_SyntheticPoRep", SealProofType.of(10).name());
        assertEquals("StackedDrg32GiBV1_1_Feat_SyntheticPoRep", SealProofType.of(13).name());
        assertEquals("StackedDrg2KiBV1_2_Feat_NiPoRep", SealProofType.of(15).name());
        assertEquals("StackedDrg64GiBV1_2_Feat_NiPoRep", SealProofType.of(19).name());
        String[] sizes = {"2KiB", "8MiB", "512MiB", "32GiB", "64GiB"};
        for (int v = 0; v < 20; v++) {
            assertEquals(SectorSize.parse(sizes[v % 5]), SealProofType.of(v).size(), "RegisteredSealProof " + v);
        }
    }

    @Test
    void numbersGoStateTypesDoesNotDefineAreRefused() {
        assertEquals("15 is not a RegisteredPoStProof (winning 0..4, window 5..14)",
                assertThrows(IllegalArgumentException.class, () -> PoStProofType.of(15)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoStProofType.of(-1));
        assertEquals("20 is not a RegisteredSealProof (0..19)",
                assertThrows(IllegalArgumentException.class, () -> SealProofType.of(20)).getMessage());
    }
}
