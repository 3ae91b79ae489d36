package io.postfleet.proofs.hash.opencl;

/**
 * One OpenCL device as an operator sees it. {@code index} numbers the devices of all platforms in enumeration order;
 * it is the N of {@code --hash opencl:N}.
 *
 * @param globalMemBytes the device's global memory (CL_DEVICE_GLOBAL_MEM_SIZE), 0 when not known
 */
public record DeviceInfo(int index, DeviceKind kind, String vendor, String name, String platform, int computeUnits,
                         long globalMemBytes) {

    /** A device whose memory size is not known. */
    public DeviceInfo(int index, DeviceKind kind, String vendor, String name, String platform, int computeUnits) {
        this(index, kind, vendor, name, platform, computeUnits, 0);
    }

    /** {@code opencl:N}, the spec that selects this device. */
    public String spec() {
        return "opencl:" + index;
    }

    /** {@code opencl:0 <device name> (<platform>)}, for logs and worker status. */
    public String description() {
        return spec() + " " + name + " (" + platform + ")";
    }

    @Override
    public String toString() {
        return description() + " " + kind + ", " + computeUnits + " compute units"
                + (globalMemBytes > 0 ? String.format(", %.1f GiB global memory", globalMemBytes / (double) (1L << 30))
                : "") + ", vendor " + vendor;
    }
}
