package io.postfleet.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

/**
 * The rule: Lotus's figures at 32GiB, proportional to the sector size, at least 1 GiB of RAM, a GPU only where the
 * scaled GPU memory reaches 1 GiB.
 */
class ProvingRequirementsTest {

    private static final long GIB = 1L << 30;

    @Test
    void lotusFiguresAreTheRequirementsOf32GibSectors() {
        ProvingRequirements window = ProvingRequirements.of(PostKind.WINDOW, SectorSize.GIB_32);
        assertEquals(128 * GIB, window.ramBytes());
        assertEquals(17 * GIB / 2, window.vramBytes());
        assertEquals("windowPoSt on 32GiB sectors needs 128 GiB of RAM and a GPU with 8.5 GiB", window.toString());
        ProvingRequirements winning = ProvingRequirements.of(PostKind.WINNING, SectorSize.GIB_32);
        assertEquals(64 * GIB, winning.ramBytes());
        assertEquals(6 * GIB, winning.vramBytes());
        assertEquals("winningPoSt on 32GiB sectors needs 64 GiB of RAM and a GPU with 6 GiB", winning.toString());
    }

    @Test
    void sixtyFourGibSectorsDoubleTheFigures() {
        ProvingRequirements window = ProvingRequirements.of(PostKind.WINDOW, SectorSize.GIB_64);
        assertEquals(256 * GIB, window.ramBytes());
        assertEquals(17 * GIB, window.vramBytes());
        ProvingRequirements winning = ProvingRequirements.of(PostKind.WINNING, SectorSize.GIB_64);
        assertEquals(128 * GIB, winning.ramBytes());
        assertEquals(12 * GIB, winning.vramBytes());
    }

    @Test
    void smallSectorsNeedAGibibyteOfRamAndNoGpu() {
        for (PostKind kind : new PostKind[] {PostKind.WINDOW, PostKind.WINNING}) {
            for (SectorSize size : new SectorSize[] {SectorSize.KIB_2, SectorSize.KIB_32, SectorSize.MIB_8}) {
                ProvingRequirements r = ProvingRequirements.of(kind, size);
                assertEquals(GIB, r.ramBytes(), r.toString());
                assertFalse(r.gpuRecommended(), r.toString());
            }
        }
        assertEquals("windowPoSt on 2KiB sectors needs 1 GiB of RAM and no GPU",
                ProvingRequirements.of(PostKind.WINDOW, SectorSize.KIB_2).toString());
        ProvingRequirements mid = ProvingRequirements.of(PostKind.WINDOW, SectorSize.MIB_512);
        assertEquals(2 * GIB, mid.ramBytes(), "128 GiB / 64");
        assertFalse(mid.gpuRecommended(), "136 MiB of GPU memory is below the 1 GiB a GPU is called for from");
        assertTrue(ProvingRequirements.of(PostKind.WINNING, SectorSize.GIB_32).gpuRecommended());
    }

    @Test
    void bytesReadAsAnOperatorWritesThem() {
        assertEquals("8.5 GiB", ProvingRequirements.bytes(17 * GIB / 2));
        assertEquals("128 GiB", ProvingRequirements.bytes(128 * GIB));
        assertEquals("23.4 GiB", ProvingRequirements.bytes(25_125_000_000L));
        assertEquals("136 MiB", ProvingRequirements.bytes(17 * GIB / 128));
    }
}
