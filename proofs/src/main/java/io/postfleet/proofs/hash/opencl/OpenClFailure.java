package io.postfleet.proofs.hash.opencl;

/** An OpenCL call failed: kernel build, buffer allocation or a launch. The message names the device and the step. */
public final class OpenClFailure extends RuntimeException {

    public OpenClFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
