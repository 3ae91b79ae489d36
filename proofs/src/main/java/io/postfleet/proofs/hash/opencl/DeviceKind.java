package io.postfleet.proofs.hash.opencl;

/** The OpenCL device type, reduced to what device choice cares about. */
public enum DeviceKind {
    GPU, CPU, ACCELERATOR, OTHER
}
