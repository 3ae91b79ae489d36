package io.postfleet.worker.status;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.DeviceKind;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.schemas.GpuInfo;

/**
 * Samples the host's CPU, memory, the JVM heap and the GPUs for a heartbeat. GPUs come from NVML where its library
 * loads (name, memory total and used, utilization); otherwise from the OpenCL device list (name and global memory;
 * OpenCL reports neither memory in use, written 0, nor utilization, written -1). Each device carries its shader cores
 * ({@link GpuCores}) and whether the worker's hash backend runs on it.
 */
public final class ResourceProbe {

    /** A device as a heartbeat lists it, and whether it is a GPU (OpenCL also lists CPU devices such as PoCL's). */
    public record Device(GpuInfo info, boolean gpu) {
    }

    /** The OpenCL device a backend description names ({@code opencl:N ...}), unless it fell back to the CPU. */
    private static final Pattern OPENCL_BACKEND = Pattern.compile("^opencl:(\\d+) ");

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
    private final Supplier<List<DeviceInfo>> openCl;
    private final GpuCores cores;
    private final String hashBackend;

    /** GPUs from {@code nvml} alone (empty: no GPU is listed), cores from the built-in table, none used. */
    public ResourceProbe(Optional<Nvml> nvml) {
        this(nvml, List::of, GpuCores.table(), "");
    }

    /**
     * @param nvml        the first GPU source; empty on hosts without an NVIDIA driver
     * @param openCl      the OpenCL devices: the GPUs listed when NVML lists none, and the device names that tell
     *                    which NVML device an OpenCL backend runs on
     * @param cores       shader cores per model
     * @param hashBackend the worker's hash backend, as {@link io.postfleet.proofs.hash.HashBackend#description()}
     *                    writes it ({@code opencl:N NAME (PLATFORM)} on an OpenCL device)
     */
    public ResourceProbe(Optional<Nvml> nvml, Supplier<List<DeviceInfo>> openCl, GpuCores cores, String hashBackend) {
        this.nvml = nvml;
        this.openCl = openCl;
        this.cores = cores;
        this.hashBackend = hashBackend;
    }

    /** This host's GPUs: NVML when the driver library is present, else OpenCL's devices. */
    public static ResourceProbe system(GpuCores cores, String hashBackend) {
        return new ResourceProbe(JnaNvml.load(), OpenClDevices::list, cores, hashBackend);
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

    /** The devices a heartbeat lists, as {@link #devices()}. */
    public List<GpuInfo> gpus() {
        return devices().stream().map(Device::info).toList();
    }

    /**
     * Every GPU NVML reports (a device that fails a query is reported with what could be read); when NVML lists
     * none, every OpenCL device.
     */
    public List<Device> devices() {
        OptionalInt used = usedOpenClIndex(hashBackend);
        if (nvml.isPresent() && nvml.get().deviceCount() > 0) {
            return nvmlDevices(nvml.get(), used.isPresent() ? openCl.get() : List.of(), used);
        }
        List<Device> out = new ArrayList<>();
        for (DeviceInfo d : openCl.get()) {
            out.add(new Device(GpuInfo.newBuilder().setName(d.name()).setMemTotalBytes(d.globalMemBytes())
                    .setMemUsedBytes(0).setUtilization(-1).setSource("opencl").setCores(cores.of(d.name()))
                    .setUsed(used.isPresent() && used.getAsInt() == d.index()).build(), d.kind() == DeviceKind.GPU));
        }
        return out;
    }

    private List<Device> nvmlDevices(Nvml n, List<DeviceInfo> openClDevices, OptionalInt used) {
        List<Device> out = new ArrayList<>();
        int count = n.deviceCount();
        List<String> names = new ArrayList<>();
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
            names.add(name);
            out.add(new Device(GpuInfo.newBuilder().setName(name).setMemTotalBytes(mem[0]).setMemUsedBytes(mem[1])
                    .setUtilization(util).setSource("nvml").setCores(cores.of(name)).build(), true));
        }
        int at = nvmlIndexOf(openClDevices, used, names);
        if (at >= 0) {
            GpuInfo g = out.get(at).info();
            out.set(at, new Device(GpuInfo.newBuilder(g).setUsed(true).build(), true));
        }
        return out;
    }

    /**
     * The NVML device an OpenCL backend runs on, -1 for none: the OpenCL device's name among NVML's names, the n-th
     * of that name in OpenCL's order being the n-th in NVML's (both list NVIDIA devices by PCI bus).
     */
    static int nvmlIndexOf(List<DeviceInfo> openClDevices, OptionalInt used, List<String> nvmlNames) {
        if (used.isEmpty()) {
            return -1;
        }
        Optional<DeviceInfo> device = openClDevices.stream().filter(d -> d.index() == used.getAsInt()).findFirst();
        if (device.isEmpty() || device.get().kind() != DeviceKind.GPU) {
            return -1;
        }
        String name = GpuCores.normal(device.get().name());
        long before = openClDevices.stream()
                .filter(d -> d.index() < used.getAsInt() && GpuCores.normal(d.name()).equals(name)).count();
        for (int i = 0, seen = 0; i < nvmlNames.size(); i++) {
            if (GpuCores.normal(nvmlNames.get(i)).equals(name) && seen++ == before) {
                return i;
            }
        }
        return -1;
    }

    /** The N of {@code opencl:N} a backend description starts with; empty for a CPU backend or after a fallback. */
    static OptionalInt usedOpenClIndex(String hashBackend) {
        Matcher m = OPENCL_BACKEND.matcher(hashBackend == null ? "" : hashBackend);
        if (!m.find() || hashBackend.contains("[on cpu")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(m.group(1)));
    }
}
