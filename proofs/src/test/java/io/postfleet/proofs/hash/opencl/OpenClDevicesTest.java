package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The enumeration reports what a worker's heartbeat lists for a device: its name and its global memory. */
class OpenClDevicesTest {

    @Test
    void everyDeviceReportsItsNameAndGlobalMemory() {
        TestDevice.require();
        for (DeviceInfo d : OpenClDevices.list()) {
            assertTrue(!d.name().isBlank(), d.toString());
            assertTrue(d.globalMemBytes() > 0, "CL_DEVICE_GLOBAL_MEM_SIZE read: " + d);
            assertTrue(d.toString().contains("GiB global memory"), d.toString());
        }
    }
}
