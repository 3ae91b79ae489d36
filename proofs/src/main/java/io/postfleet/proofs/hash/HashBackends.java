package io.postfleet.proofs.hash;

import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.proofs.hash.opencl.OpenClHashBackend;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Opens the hash backend an operator asked for. The one place that turns {@code --gpu} / {@value #ENV} into a
 * {@link HashBackend}.
 */
public final class HashBackends {

    /** Environment variable read when no spec is given: {@code auto|cpu|opencl|opencl:N}. */
    public static final String ENV = "POSTFLEET_GPU";

    private static final Logger LOG = Logger.getLogger(HashBackends.class.getName());

    private HashBackends() {
    }

    /**
     * Opens {@code spec} ({@code auto|cpu|opencl|opencl:N}); null or blank reads {@value #ENV}, else {@code auto}.
     * Throws {@link IllegalArgumentException} for a bad spec or an OpenCL device that does not exist.
     */
    public static HashBackend open(String spec) {
        if (spec != null && !spec.isBlank()) {
            return open(BackendSpec.parse(spec));
        }
        String env = System.getenv(ENV);
        try {
            return open(BackendSpec.parse(env));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + ENV + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a parsed spec. OpenCL failures fall back to the CPU with a warning unless the system property
     * {@value OpenClHashBackend#STRICT_PROPERTY} is {@code true}.
     */
    public static HashBackend open(BackendSpec spec) {
        return open(spec, Boolean.getBoolean(OpenClHashBackend.STRICT_PROPERTY));
    }

    /** Opens a parsed spec; {@code strict} turns OpenCL failures into errors instead of a CPU fallback. */
    public static HashBackend open(BackendSpec spec, boolean strict) {
        if (spec instanceof BackendSpec.Cpu) {
            return new CpuHashBackend();
        }
        List<DeviceInfo> devices = OpenClDevices.list();
        if (spec instanceof BackendSpec.OpenCl openCl) {
            DeviceInfo device;
            try {
                device = DeviceChoice.explicit(devices, openCl.index());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(spec + " (from --gpu or " + ENV + "): " + e.getMessage()
                        + OpenClDevices.unavailableReason().map(r -> " (" + r + ")").orElse(""), e);
            }
            return OpenClHashBackend.open(device, new CpuHashBackend(), strict);
        }
        Optional<DeviceInfo> gpu = DeviceChoice.auto(devices);
        if (gpu.isPresent()) {
            return OpenClHashBackend.open(gpu.get(), new CpuHashBackend(), strict);
        }
        LOG.fine(() -> "--gpu auto: no GPU OpenCL device (" + DeviceChoice.list(devices) + "), hashing on the CPU");
        return new CpuHashBackend();
    }
}
