package io.postfleet.proofs.hash.opencl;

/**
 * One OpenCL device as an operator sees it. {@code index} numbers the devices of all platforms in enumeration order;
 * it is the N of {@code --hash opencl:N}.
 */
public record DeviceInfo(int index, DeviceKind kind, String vendor, String name, String platform, int computeUnits) {

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
        return description() + " " + kind + ", " + computeUnits + " compute units, vendor " + vendor;
    }
}
