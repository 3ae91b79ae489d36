package io.postfleet.worker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import io.postfleet.schemas.GpuInfo;
import org.junit.jupiter.api.Test;

class ResourceProbeTest {

    /** A fake NVML: no NVIDIA driver exists on the build machines; this exercises how readings become GpuInfo. */
    static final class FakeNvml implements Nvml {
        @Override
        public int deviceCount() {
            return 2;
        }

        @Override
        public String name(int device) {
            if (device == 1) {
                throw new IllegalStateException("GPU is lost");
            }
            return "NVIDIA RTX 4090";
        }

        @Override
        public long[] memory(int device) {
            return new long[] {25_757_220_864L, 1_073_741_824L};
        }

        @Override
        public int utilization(int device) {
            return 37;
        }
    }

    @Test
    void gpusAreReportedFromNvmlAndAFailingDeviceIsNamedNotDropped() {
        List<GpuInfo> gpus = new ResourceProbe(Optional.of(new FakeNvml())).gpus();
        assertEquals(2, gpus.size());
        assertEquals(GpuInfo.newBuilder().setName("NVIDIA RTX 4090").setMemTotalBytes(25_757_220_864L)
                .setMemUsedBytes(1_073_741_824L).setUtilization(37).build(), gpus.get(0));
        assertTrue(gpus.get(1).getName().contains("unreadable: GPU is lost"), gpus.get(1).getName());
        assertEquals(-1, gpus.get(1).getUtilization());
    }

    @Test
    void withoutNvmlTheGpuListIsEmptyAndHostFiguresAreReal() {
        ResourceProbe.Sample s = new ResourceProbe(Optional.empty()).sample();
        assertEquals(List.of(), s.gpus());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.cpuCores());
        assertTrue(s.memTotalBytes() > 0 && s.memUsedBytes() > 0 && s.memUsedBytes() <= s.memTotalBytes());
        assertEquals(Runtime.getRuntime().maxMemory(), s.heapMaxBytes());
    }

    @Test
    void onThisHostNvmlLoadsOnlyWhereTheDriverExists() {
        boolean driver = new java.io.File("/proc/driver/nvidia/version").exists();
        assertEquals(driver, JnaNvml.load().isPresent());
    }
}
