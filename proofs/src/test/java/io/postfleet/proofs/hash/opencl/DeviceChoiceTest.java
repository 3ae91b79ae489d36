package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

    private static final DeviceInfo POCL = new DeviceInfo(0, DeviceKind.CPU, "AuthenticAMD",
            "pthread-skylake-avx512-AMD EPYC", "Portable Computing Language", 2);
    private static final DeviceInfo H100 = new DeviceInfo(1, DeviceKind.GPU, "NVIDIA Corporation",
            "NVIDIA H100 80GB HBM3", "NVIDIA CUDA", 132);
    private static final DeviceInfo A100 = new DeviceInfo(2, DeviceKind.GPU, "NVIDIA Corporation",
            "NVIDIA A100-SXM4-40GB", "NVIDIA CUDA", 108);
    private static final DeviceInfo H100_B = new DeviceInfo(3, DeviceKind.GPU, "NVIDIA Corporation",
            "NVIDIA H100 80GB HBM3", "NVIDIA CUDA", 132);
    private static final DeviceInfo FPGA = new DeviceInfo(4, DeviceKind.ACCELERATOR, "Xilinx", "U250", "XRT", 1);

    @Test
    void autoTakesTheGpuEvenWhenACpuDeviceIsListedFirst() {
        assertEquals(Optional.of(H100), DeviceChoice.auto(List.of(POCL, H100)));
    }

    @Test
    void autoNeverTakesACpuOrAcceleratorDevice() {
        assertEquals(Optional.empty(), DeviceChoice.auto(List.of(POCL)));
        assertEquals(Optional.empty(), DeviceChoice.auto(List.of(POCL, FPGA)));
    }

    @Test
    void autoWithNoDevicesIsEmpty() {
        assertEquals(Optional.empty(), DeviceChoice.auto(List.of()));
    }

    @Test
    void autoAmongSeveralGpusTakesMostComputeUnitsThenLowestIndex() {
        assertEquals(Optional.of(H100), DeviceChoice.auto(List.of(POCL, A100, H100, H100_B)));
        assertEquals(Optional.of(H100), DeviceChoice.auto(List.of(H100_B, A100, H100)));
        assertEquals(Optional.of(A100), DeviceChoice.auto(List.of(POCL, A100)));
    }

    @Test
    void explicitOpenclMayTakeACpuDeviceWhenNoGpuExists() {
        assertEquals(POCL, DeviceChoice.explicit(List.of(POCL), OptionalInt.empty()));
        assertEquals(H100, DeviceChoice.explicit(List.of(POCL, H100), OptionalInt.empty()));
    }

    @Test
    void explicitIndexTakesThatDeviceWhateverItsKind() {
        assertEquals(POCL, DeviceChoice.explicit(List.of(POCL, H100), OptionalInt.of(0)));
        assertEquals(H100, DeviceChoice.explicit(List.of(POCL, H100), OptionalInt.of(1)));
    }

    @Test
    void explicitIndexOutOfRangeNamesTheAvailableDevices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceChoice.explicit(List.of(POCL, H100), OptionalInt.of(5)));
        assertTrue(e.getMessage().contains("opencl:5"), e.getMessage());
        assertTrue(e.getMessage().contains("opencl:1 NVIDIA H100 80GB HBM3 (NVIDIA CUDA)"), e.getMessage());
    }

    @Test
    void explicitWithNoDevicesSaysWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DeviceChoice.explicit(List.of(), OptionalInt.empty()));
        assertTrue(e.getMessage().contains("--hash native"), e.getMessage());
    }

    @Test
    void descriptionNamesIndexDeviceAndPlatform() {
        assertEquals("opencl:1 NVIDIA H100 80GB HBM3 (NVIDIA CUDA)", H100.description());
    }
}
