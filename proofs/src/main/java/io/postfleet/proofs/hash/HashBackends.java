package io.postfleet.proofs.hash;

import io.postfleet.proofs.hash.opencl.DeviceChoice;
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.proofs.hash.opencl.OpenClHashBackend;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Opens the hash backend an operator asked for. The one place that turns {@code --hash} / {@value #ENV} into a
 * {@link HashBackend}.
 */
public final class HashBackends {

    /** Environment variable read when no spec is given: {@code auto|native[:PATH]|java|opencl[:N]}. */
    public static final String ENV = "POSTFLEET_HASH";
    /** The variable's old name, still read when {@value #ENV} is not set. */
    public static final String OLD_ENV = "POSTFLEET_GPU";

    private static final Logger LOG = Logger.getLogger(HashBackends.class.getName());
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private HashBackends() {
    }

    /**
     * Opens {@code spec}; null or blank reads {@value #ENV} (else {@value #OLD_ENV}), else {@code auto}. Throws
     * {@link IllegalArgumentException} for a bad spec, a native path this CPU lacks or an OpenCL device that does not
     * exist.
     */
    public static HashBackend open(String spec) {
        if (spec != null && !spec.isBlank()) {
            return open(BackendSpec.parse(spec));
        }
        String name = System.getenv(ENV) != null ? ENV : OLD_ENV;
        String env = System.getenv(name);
        try {
            return open(BackendSpec.parse(env));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("environment variable " + name + ": " + e.getMessage(), e);
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
        if (spec instanceof BackendSpec.Java) {
            return new CpuHashBackend();
        }
        if (spec instanceof BackendSpec.Native n) {
            NativePoseidon library = NativePoseidon.get().orElseThrow(() -> new IllegalArgumentException(
                    "hash backend " + spec + ": " + NativePoseidon.unavailableReason().orElse("not loaded")
                            + "; use --hash java"));
            NativePath path = n.path().orElse(library.best());
            try {
                return CpuHashBackend.nativePath(library, path, Runtime.getRuntime().availableProcessors());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hash backend " + spec + ": " + e.getMessage(), e);
            }
        }
        List<DeviceInfo> devices = OpenClDevices.list();
        if (spec instanceof BackendSpec.OpenCl openCl) {
            DeviceInfo device;
            try {
                device = DeviceChoice.explicit(devices, openCl.index());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(spec + " (from --hash or " + ENV + "): " + e.getMessage()
                        + OpenClDevices.unavailableReason().map(r -> " (" + r + ")").orElse(""), e);
            }
            return OpenClHashBackend.open(device, bestCpu(), strict);
        }
        Optional<DeviceInfo> gpu = DeviceChoice.auto(devices);
        if (gpu.isPresent()) {
            return OpenClHashBackend.open(gpu.get(), bestCpu(), strict);
        }
        LOG.fine(() -> "--hash auto: no GPU OpenCL device (" + DeviceChoice.list(devices) + "), hashing on the CPU");
        return bestCpu();
    }

    /**
     * The fastest CPU backend: the native library's best path, else the Java path with one warning (once per process)
     * saying why.
     */
    public static CpuHashBackend bestCpu() {
        Optional<NativePoseidon> library = NativePoseidon.get();
        if (library.isPresent()) {
            return CpuHashBackend.nativeBest(library.get());
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.warning("hashing on the Java path, several times slower than the native one: "
                    + NativePoseidon.unavailableReason().orElse("native library not loaded"));
        }
        return new CpuHashBackend();
    }
}
