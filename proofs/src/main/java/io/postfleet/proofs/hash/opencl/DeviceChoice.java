package io.postfleet.proofs.hash.opencl;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Which OpenCL device a spec means, as pure functions over device descriptions so the rule is testable without
 * hardware. {@code auto} takes only GPUs (a CPU OpenCL device is slower than the Java CPU path and competes with
 * the prover's own threads); an explicit {@code opencl} / {@code opencl:N} may take any device.
 */
public final class DeviceChoice {

    private DeviceChoice() {
    }

    /** The GPU with the most compute units (lowest index on a tie), or empty when there is no GPU. */
    public static Optional<DeviceInfo> auto(List<DeviceInfo> devices) {
        return devices.stream()
                .filter(d -> d.kind() == DeviceKind.GPU)
                .max(Comparator.comparingInt(DeviceInfo::computeUnits)
                        .thenComparing(Comparator.comparingInt(DeviceInfo::index).reversed()));
    }

    /**
     * {@code opencl:N} (index present) or {@code opencl} (index empty: the auto choice, else the first device of any
     * kind). Throws {@link IllegalArgumentException} naming the available devices when the request cannot be met.
     */
    public static DeviceInfo explicit(List<DeviceInfo> devices, OptionalInt index) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no OpenCL device found (is an OpenCL driver/ICD installed? `clinfo -l` "
                    + "lists them); use --hash native, --hash java or --hash auto");
        }
        if (index.isEmpty()) {
            return auto(devices).orElse(devices.get(0));
        }
        int n = index.getAsInt();
        return devices.stream().filter(d -> d.index() == n).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no OpenCL device opencl:" + n + "; available: " + list(devices)));
    }

    /** One line per device, for error messages and listings. */
    public static String list(List<DeviceInfo> devices) {
        return devices.isEmpty() ? "none" : devices.stream().map(DeviceInfo::toString).collect(Collectors.joining("; "));
    }
}
