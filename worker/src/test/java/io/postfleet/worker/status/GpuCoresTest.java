package io.postfleet.worker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Cores come from the known-model table, else from a BELLMAN_CUSTOM_GPU entry naming the device; -1 unknown. */
class GpuCoresTest {

    @Test
    void knownModelsAreFoundAsNvmlAndBellpersonWriteTheirNames() {
        GpuCores table = GpuCores.table();
        assertEquals(8704, table.of("NVIDIA GeForce RTX 3080"));
        assertEquals(8704, table.of("GeForce  RTX 3080"));
        assertEquals(2560, table.of("Tesla T4"));
        assertEquals(5120, table.of("Tesla V100-SXM2-16GB"), "a form variant of a known model");
        assertEquals(6912, table.of("NVIDIA A100-SXM4-80GB"));
        assertEquals(-1, table.of("NVIDIA GeForce RTX 3080 Ti"), "another model, not a variant");
        assertEquals(-1, table.of("pthread-skylake-avx512-Intel(R) Xeon(R) Processor"));
    }

    @Test
    void aCustomEntryGivesTheCoresOfAModelTheTableDoesNotKnow() {
        GpuCores cores = GpuCores.parse("GeForce RTX 3080 Ti:10240, Radeon Pro W7900 : 6144");
        assertEquals(List.of(new GpuCores.Custom("GeForce RTX 3080 Ti", 10240),
                new GpuCores.Custom("Radeon Pro W7900", 6144)), cores.custom());
        assertEquals(10240, cores.of("NVIDIA GeForce RTX 3080 Ti"));
        assertEquals(6144, cores.of("radeon pro w7900"));
        assertEquals(Optional.of(new GpuCores.Custom("Radeon Pro W7900", 6144)), cores.customFor("Radeon Pro W7900"));
        assertEquals("GeForce RTX 3080 Ti:10240,Radeon Pro W7900:6144", cores.toString());
    }

    @Test
    void theTableWinsForAModelItKnows() {
        GpuCores cores = GpuCores.parse("GeForce RTX 3080:1");
        assertEquals(8704, cores.of("NVIDIA GeForce RTX 3080"));
        assertEquals(Optional.empty(), cores.customFor("NVIDIA GeForce RTX 3080"));
    }

    @Test
    void aValueThatIsNotModelColonCoresIsRefusedWithTheForm() {
        for (String bad : new String[] {"GeForce RTX 3080", "GeForce RTX 3080:", ":8704", "GeForce RTX 3080:many",
                "GeForce RTX 3080:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuCores.parse(bad), bad);
            assertEquals("write MODEL-NAME:CORES, e.g. GeForce RTX 3080:8704 (several separated by commas)",
                    e.getMessage());
        }
        assertEquals("the entry 'RTX' is not MODEL-NAME:CORES, e.g. GeForce RTX 3080:8704 (several separated by "
                + "commas)", assertThrows(IllegalArgumentException.class,
                () -> GpuCores.parse("GeForce RTX 3080:8704,RTX")).getMessage());
        assertEquals(GpuCores.table(), GpuCores.parse("  "));
    }
}
