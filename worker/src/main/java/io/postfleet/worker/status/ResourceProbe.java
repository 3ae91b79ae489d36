package io.postfleet.worker.status;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.postfleet.schemas.GpuInfo;

/** Samples the host's CPU, memory, the JVM heap and the GPUs for a heartbeat. */
public final class ResourceProbe {

    /**
     * One sample.
     *
     * @param hostCoresBusy    host CPU in use, in cores (-1 unknown)
     * @param processCoresBusy this process's CPU in use, in cores (-1 unknown)
     * @param processRssBytes  this process's resident memory (0 unknown)
     * @param processVmemBytes this process's resident plus swapped-out memory (0 unknown)
     */
    public record Sample(int cpuCores, double cpuLoad, long memTotalBytes, long memUsedBytes, long heapMaxBytes,
                         List<GpuInfo> gpus, double hostCoresBusy, double processCoresBusy, long processRssBytes,
                         long processVmemBytes, long swapTotalBytes, long swapUsedBytes) {
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
        double hostBusy = -1;
        double processBusy = -1;
        long swapTotal = 0;
        long swapUsed = 0;
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            total = sun.getTotalMemorySize();
            used = total - sun.getFreeMemorySize();
            double cpu = sun.getCpuLoad();
            double own = sun.getProcessCpuLoad();
            hostBusy = cpu < 0 ? -1 : cpu * cores;
            processBusy = own < 0 ? -1 : own * cores;
            swapTotal = sun.getTotalSwapSpaceSize();
            swapUsed = swapTotal - sun.getFreeSwapSpaceSize();
        }
        long[] own = ownMemory();
        return new Sample(cores, load < 0 ? -1 : load / cores, total, used, Runtime.getRuntime().maxMemory(), gpus(),
                hostBusy, processBusy, own[0], own[0] + own[1], swapTotal, swapUsed);
    }

    /** {resident, swapped-out} bytes of this process from /proc/self/status; zeros where it cannot be read. */
    static long[] ownMemory() {
        long rss = 0;
        long swap = 0;
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kib(line);
                } else if (line.startsWith("VmSwap:")) {
                    swap = kib(line);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {rss, swap};
    }

    private static long kib(String line) {
        String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
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
            out.add(GpuInfo.newBuilder().setName(name).setMemTotalBytes(mem[0]).setMemUsedBytes(mem[1])
                    .setUtilization(util).setSource("nvml").build());
        }
        return out;
    }
}
