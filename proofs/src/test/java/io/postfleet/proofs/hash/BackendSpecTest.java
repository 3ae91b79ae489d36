package io.postfleet.proofs.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BackendSpecTest {

    @Test
    void parsesEveryAllowedForm() {
        assertEquals(new BackendSpec.Auto(), BackendSpec.parse("auto"));
        assertEquals(new BackendSpec.Java(), BackendSpec.parse(" Java "));
        assertEquals(new BackendSpec.Java(), BackendSpec.parse(" CPU "), "the old spelling");
        assertEquals(new BackendSpec.Native(Optional.empty()), BackendSpec.parse("native"));
        assertEquals(new BackendSpec.Native(Optional.of(NativePath.MULX_ADX)), BackendSpec.parse("native:MULX-ADX"));
        assertEquals(new BackendSpec.OpenCl(OptionalInt.empty()), BackendSpec.parse("opencl"));
        assertEquals(new BackendSpec.OpenCl(OptionalInt.of(0)), BackendSpec.parse("opencl:0"));
        assertEquals(new BackendSpec.OpenCl(OptionalInt.of(12)), BackendSpec.parse("OpenCL:12"));
    }

    @Test
    void theOldSpellingCpuGetsANoteNamingTheNewOnes() {
        assertTrue(BackendSpec.oldSpellingNote("cpu").orElseThrow().contains("'java'"));
        assertTrue(BackendSpec.oldSpellingNote("java").isEmpty());
        assertTrue(BackendSpec.oldSpellingNote(null).isEmpty());
    }

    @Test
    void nullOrBlankIsAuto() {
        assertEquals(new BackendSpec.Auto(), BackendSpec.parse(null));
        assertEquals(new BackendSpec.Auto(), BackendSpec.parse("  "));
    }

    @Test
    void roundTripsThroughToString() {
        for (String s : new String[] {"auto", "java", "native", "native:portable", "native:avx512-ifma", "opencl", "opencl:3"}) {
            assertEquals(s, BackendSpec.parse(s).toString());
        }
    }

    @Test
    void refusesAnythingElseNamingTheAllowedValues() {
        for (String bad : new String[] {"gpu", "cuda", "opencl:", "opencl:-1", "opencl:x", "opencl:1:2", "cpu2", "native:", "native:sse"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains(BackendSpec.ALLOWED), e.getMessage());
        }
    }
}
