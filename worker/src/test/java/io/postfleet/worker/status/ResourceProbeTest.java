package io.postfleet.worker.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.DeviceKind;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.schemas.GpuInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * GPUs in heartbeats: NVML's where it loads, else OpenCL's device list; each with its cores (table, then
 * BELLMAN_CUSTOM_GPU) and whether the hash backend runs on it.
 */
class ResourceProbeTest {

    private static final long GIB = 1L << 30;
    private static final DeviceInfo POCL = new DeviceInfo(0, DeviceKind.CPU, "AuthenticAMD",
            "pthread-znver4-AMD EPYC", "Portable Computing Language", 2, 12 * GIB);

    /** NVML devices with these names, 80 GiB each, 5 GiB used, 12 % busy. */
    record NamedNvml(List<String> names) implements Nvml {
        @Override
        public int deviceCount() {
            return names.size();
        }

        @Override
        public String name(int device) {
            return names.get(device);
        }

        @Override
        public long[] memory(int device) {
            return new long[] {80 * GIB, 5 * GIB};
        }

        @Override
        public int utilization(int device) {
            return 12;
        }
    }

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
    void withoutNvmlTheOpenClDevicesAreListedWithTheirGlobalMemoryAndTheOneTheBackendUses() {
        DeviceInfo rtx = new DeviceInfo(1, DeviceKind.GPU, "NVIDIA Corporation", "NVIDIA GeForce RTX 3080",
                "NVIDIA CUDA", 68, 10 * GIB);
        ResourceProbe probe = new ResourceProbe(Optional.empty(), () -> List.of(POCL, rtx), GpuCores.table(),
                "opencl:1 NVIDIA GeForce RTX 3080 (NVIDIA CUDA)");
        assertEquals(List.of(
                GpuInfo.newBuilder().setName("pthread-znver4-AMD EPYC").setMemTotalBytes(12 * GIB).setMemUsedBytes(0)
                        .setUtilization(-1).setSource("opencl").setCores(-1).setUsed(false).build(),
                GpuInfo.newBuilder().setName("NVIDIA GeForce RTX 3080").setMemTotalBytes(10 * GIB).setMemUsedBytes(0)
                        .setUtilization(-1).setSource("opencl").setCores(8704).setUsed(true).build()), probe.gpus());
        assertEquals(List.of(false, true), probe.devices().stream().map(ResourceProbe.Device::gpu).toList(),
                "PoCL's device is not a GPU");
    }

    @Test
    void aCpuBackendOrOneThatFellBackToTheCpuUsesNoDevice() {
        for (String backend : new String[] {"native:avx512-ifma", "java",
                "opencl:0 pthread-znver4-AMD EPYC (Portable Computing Language) [on cpu after OpenCL failure]"}) {
            ResourceProbe probe = new ResourceProbe(Optional.empty(), () -> List.of(POCL), GpuCores.table(), backend);
            assertEquals(List.of(false), probe.gpus().stream().map(GpuInfo::getUsed).toList(), backend);
        }
        assertTrue(new ResourceProbe(Optional.empty(), () -> List.of(POCL), GpuCores.table(),
                "opencl:0 pthread-znver4-AMD EPYC (Portable Computing Language)").gpus().get(0).getUsed());
    }

    @Test
    void theNvmlDeviceAnOpenClBackendRunsOnIsFoundByNameAndOrder() {
        List<DeviceInfo> openCl = List.of(POCL,
                new DeviceInfo(1, DeviceKind.GPU, "NVIDIA Corporation", "NVIDIA A100-SXM4-80GB", "NVIDIA CUDA", 108),
                new DeviceInfo(2, DeviceKind.GPU, "NVIDIA Corporation", "NVIDIA GeForce RTX 3080", "NVIDIA CUDA", 68),
                new DeviceInfo(3, DeviceKind.GPU, "NVIDIA Corporation", "NVIDIA GeForce RTX 3080", "NVIDIA CUDA", 68));
        Nvml nvml = new NamedNvml(List.of("NVIDIA A100-SXM4-80GB", "NVIDIA GeForce RTX 3080",
                "NVIDIA GeForce RTX 3080"));
        ResourceProbe probe = new ResourceProbe(Optional.of(nvml), () -> openCl, GpuCores.table(),
                "opencl:3 NVIDIA GeForce RTX 3080 (NVIDIA CUDA)");
        List<GpuInfo> gpus = probe.gpus();
        assertEquals(List.of(false, false, true), gpus.stream().map(GpuInfo::getUsed).toList(),
                "the second 3080 of OpenCL is NVML's second 3080");
        assertEquals(List.of(6912, 8704, 8704), gpus.stream().map(GpuInfo::getCores).toList());
        assertEquals(List.of("nvml"), gpus.stream().map(GpuInfo::getSource).distinct().toList());
        assertEquals(List.of(12), gpus.stream().map(GpuInfo::getUtilization).distinct().toList());
        assertEquals(List.of(false, false, false), new ResourceProbe(Optional.of(nvml), () -> openCl, GpuCores.table(),
                "opencl:0 pthread-znver4-AMD EPYC (Portable Computing Language)").gpus().stream()
                .map(GpuInfo::getUsed).toList(), "a backend on PoCL runs on no NVML device");
    }

    @Test
    void aCustomGpuGivesTheCoresOfAModelTheTableDoesNotKnow() {
        Nvml nvml = new NamedNvml(List.of("NVIDIA RTX 6000 Ada Generation", "Tesla T4"));
        GpuCores custom = GpuCores.parse("NVIDIA RTX 6000 Ada Generation:18176,Tesla T4:1");
        assertEquals(List.of(18176, 2560), new ResourceProbe(Optional.of(nvml), List::of, custom, "java").gpus()
                .stream().map(GpuInfo::getCores).toList());
        assertEquals(List.of(-1, 2560), new ResourceProbe(Optional.of(nvml), List::of, GpuCores.table(), "java")
                .gpus().stream().map(GpuInfo::getCores).toList());
    }

    @Test
    void onThisHostWithoutNvmlTheOpenClDevicesAreTheGpuList() {
        Assumptions.assumeTrue(JnaNvml.load().isEmpty(), "NVML loads here: its devices are listed instead");
        List<DeviceInfo> devices = OpenClDevices.list();
        Assumptions.assumeFalse(devices.isEmpty(), "no OpenCL device here: "
                + OpenClDevices.unavailableReason().orElse(""));
        List<GpuInfo> gpus = ResourceProbe.system(GpuCores.table(), devices.get(0).description()).gpus();
        assertEquals(devices.stream().map(DeviceInfo::name).toList(), gpus.stream().map(GpuInfo::getName).toList());
        assertTrue(gpus.stream().allMatch(g -> g.getSource().equals("opencl") && g.getMemTotalBytes() > 0
                && g.getUtilization() == -1), gpus.toString());
        assertTrue(gpus.get(0).getUsed(), "the backend named opencl:0 runs on device 0");
    }

    @Test
    void aProbeWithoutGpuSourcesListsNoGpuAndHostFiguresAreReal() {
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
