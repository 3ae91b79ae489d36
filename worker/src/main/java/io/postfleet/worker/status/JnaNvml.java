package io.postfleet.worker.status;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * NVML through JNA, loaded by its versioned name {@code libnvidia-ml.so.1} (the unversioned .so is usually the CUDA
 * stub, which fails every call).
 */
public final class JnaNvml implements Nvml {

    /** The NVML entry points used, by their C names. */
    public interface Lib extends Library {
        int nvmlInit_v2();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetName(Pointer device, byte[] name, int length);

        int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

        int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);
    }

    /** nvmlMemory_t. */
    @Structure.FieldOrder({"total", "free", "used"})
    public static class Memory extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /** nvmlUtilization_t. */
    @Structure.FieldOrder({"gpu", "memory"})
    public static class Utilization extends Structure {
        public int gpu;
        public int memory;
    }

    private final Lib lib;

    private JnaNvml(Lib lib) {
        this.lib = lib;
    }

    /** NVML when the driver library loads and initializes; empty otherwise (no NVIDIA GPU or driver). */
    public static Optional<Nvml> load() {
        try {
            Lib lib = Native.load("nvidia-ml.so.1", Lib.class);
            if (lib.nvmlInit_v2() != 0) {
                return Optional.empty();
            }
            return Optional.of(new JnaNvml(lib));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public int deviceCount() {
        IntByReference n = new IntByReference();
        return lib.nvmlDeviceGetCount_v2(n) == 0 ? n.getValue() : 0;
    }

    private Pointer handle(int device) {
        PointerByReference h = new PointerByReference();
        int rc = lib.nvmlDeviceGetHandleByIndex_v2(device, h);
        if (rc != 0) {
            throw new IllegalStateException("NVML cannot open GPU " + device + " (error " + rc + ")");
        }
        return h.getValue();
    }

    @Override
    public String name(int device) {
        byte[] buf = new byte[96];
        if (lib.nvmlDeviceGetName(handle(device), buf, buf.length) != 0) {
            return "GPU " + device;
        }
        int end = 0;
        while (end < buf.length && buf[end] != 0) {
            end++;
        }
        return new String(buf, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public long[] memory(int device) {
        Memory m = new Memory();
        if (lib.nvmlDeviceGetMemoryInfo(handle(device), m) != 0) {
            return new long[] {0, 0};
        }
        return new long[] {m.total, m.used};
    }

    @Override
    public int utilization(int device) {
        Utilization u = new Utilization();
        return lib.nvmlDeviceGetUtilizationRates(handle(device), u) == 0 ? u.gpu : -1;
    }

}
