package io.postfleet.proofs.hash.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** A discovered device: its description and the handles to open it. */
record OpenClDevice(DeviceInfo info, cl_platform_id platform, cl_device_id device) {
}
