package io.postfleet.worker.status;

/**
 * The few NVML queries a heartbeat needs. {@link JnaNvml} calls the driver's libnvidia-ml.so.1; tests of the
 * reporting use a fake, since no NVIDIA driver exists on the build machines.
 */
public interface Nvml {

    int deviceCount();

    String name(int device);

    /** {total, used} bytes. */
    long[] memory(int device);

    /** GPU utilization percent over the driver's last sample period, -1 when unsupported. */
    int utilization(int device);
}
