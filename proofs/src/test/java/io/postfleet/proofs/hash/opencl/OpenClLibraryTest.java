package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.jocl.CL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class OpenClLibraryTest {

    /**
     * The probe stands in for JOCL's own attempt, so both must give the same answer on this machine, with or without
     * an OpenCL library. (Without one, JOCL's native line about it appears in this test's output.)
     */
    @Test
    @EnabledOnOs(OS.LINUX) // the only system the probe looks at
    void theProbeAndJoclAgreeWhetherTheOpenClLibraryLoads() {
        Optional<String> missing = OpenClLibrary.unavailable();
        boolean joclLoaded;
        try {
            CL.setExceptionsEnabled(true);
            joclLoaded = true;
        } catch (LinkageError e) {
            joclLoaded = false;
        }
        assertEquals(missing.isEmpty(), joclLoaded, "probe: " + missing.orElse("loads"));
    }
}
