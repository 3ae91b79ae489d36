package io.postfleet.proofs.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.DeviceKind;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.proofs.hash.opencl.OpenClHashBackend;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HashBackendsTest {

    @Test
    void javaAndItsOldNameCpuOpenTheJavaPath() {
        for (String spec : new String[] {"java", "cpu"}) {
            try (HashBackend backend = HashBackends.open(spec)) {
                CpuHashBackend cpu = assertInstanceOf(CpuHashBackend.class, backend);
                assertTrue(cpu.nativePath().isEmpty(), spec);
                assertEquals("java", cpu.description());
            }
        }
    }

    @Test
    void nativeOpensTheFastestPathOrSaysWhyNot() {
        if (NativePoseidon.get().isPresent()) {
            try (HashBackend backend = HashBackends.open("native")) {
                CpuHashBackend cpu = assertInstanceOf(CpuHashBackend.class, backend);
                assertEquals(NativePoseidon.get().get().best(), cpu.nativePath().orElseThrow());
            }
        } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashBackends.open("native"));
            assertTrue(e.getMessage().contains("--hash java"), e.getMessage());
        }
    }

    @Test
    void badSpecIsRefusedNamingTheAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashBackends.open("gpu0"));
        assertTrue(e.getMessage().contains(BackendSpec.ALLOWED), e.getMessage());
    }

    @Test
    void autoNeverOpensACpuOpenClDevice() {
        List<DeviceInfo> devices = OpenClDevices.list();
        Optional<DeviceInfo> gpu = DeviceChoice.auto(devices);
        try (HashBackend backend = HashBackends.open("auto")) {
            if (gpu.isPresent()) {
                OpenClHashBackend ocl = assertInstanceOf(OpenClHashBackend.class, backend);
                assertEquals(DeviceKind.GPU, ocl.device().kind());
            } else {
                CpuHashBackend cpu = assertInstanceOf(CpuHashBackend.class, backend, "no GPU among "
                        + DeviceChoice.list(devices));
                assertEquals(NativePoseidon.get().map(NativePoseidon::best), cpu.nativePath(),
                        "auto takes the native library when it loads");
            }
        }
    }

    @Test
    void unknownDeviceIndexIsRefusedListingTheDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HashBackends.open("opencl:999"));
        assertTrue(e.getMessage().startsWith("opencl:999 (from --hash or POSTFLEET_HASH): no OpenCL device"), e.getMessage());
    }
}
