package io.postfleet.worker.status;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.postfleet.schemas.GpuInfo;

/** Samples the host's CPU, memory, the JVM heap and the GPUs for a heartbeat. */
public final class ResourceProbe {

    /** One sample. */
    public record Sample(int cpuCores, double cpuLoad, long memTotalBytes, long memUsedBytes, long heapMaxBytes,
                         List<GpuInfo> gpus) {
    }

    private final Optional<Nvml> nvml;

    /** @param nvml the GPU source; empty on hosts without an NVIDIA driver (GPUs are then an empty list) */
    public ResourceProbe(Optional<Nvml> nvml) {
        this.nvml = nvml;
    }

    /** With NVML when the driver library is present. */
    public static ResourceProbe system() {
        return new ResourceProbe(JnaNvml.load());
    }

    public Sample sample() {
        int cores = Runtime.getRuntime().availableProcessors();
        var os = ManagementFactory.getOperatingSystemMXBean();
        double load = os.getSystemLoadAverage();
        long total = 0;
        long used = 0;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            total = sun.getTotalMemorySize();
            used = total - sun.getFreeMemorySize();
        }
        return new Sample(cores, load < 0 ? -1 : load / cores, total, used, Runtime.getRuntime().maxMemory(), gpus());
    }

    /** Every GPU NVML reports; a device that fails a query is reported with what could be read. */
    public List<GpuInfo> gpus() {
        if (nvml.isEmpty()) {
            return List.of();
        }
        Nvml n = nvml.get();
        List<GpuInfo> out = new ArrayList<>();
        int count = n.deviceCount();
        for (int i = 0; i < count; i++) {
            String name;
            long[] mem;
            int util;
            try {
                name = n.name(i);
                mem = n.memory(i);
                util = n.utilization(i);
            } catch (RuntimeException e) {
                name = "GPU " + i + " (unreadable: " + e.getMessage() + ")";
                mem = new long[] {0, 0};
                util = -1;
            }
            out.add(new GpuInfo(name, mem[0], mem[1], util));
        }
        return out;
    }
}
