package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real OpenCL failures (a kernel that does not compile, a launch the device refuses) end on the CPU path with the
 * right result, or, when strict, in an error that names the device and the step.
 */
class FallbackTest {

    private static final String BROKEN = "\n__kernel void broken(__global ulong *x) { this is not OpenCL C }\n";
    /** Larger than any device's maximum work-group size: the launch fails with CL_INVALID_WORK_GROUP_SIZE. */
    private static final int IMPOSSIBLE_WORK_GROUP = 1 << 24;

    private final PlainOracle oracle = new PlainOracle(PlainOracle.RANDOM);

    @Test
    void kernelBuildFailureFallsBackToTheCpuWithTheSameResult() {
        OpenClDevice device = TestDevice.require();
        try (OpenClHashBackend backend = OpenClHashBackend.open(device, PlainOracle.RANDOM.values(), oracle,
                new OpenClHashBackend.Options(false, 0, BROKEN, false))) {
            assertNotNull(backend.fallbackReason());
            assertTrue(backend.fallbackReason().contains("build failed"), backend.fallbackReason());
            assertTrue(backend.description().contains("on cpu"), backend.description());
            assertSameAsOracle(backend, 2, 3);
            assertEquals(0, backend.kernelLaunches());
        }
    }

    @Test
    void kernelBuildFailureIsAnErrorWhenStrict() {
        OpenClDevice device = TestDevice.require();
        OpenClFailure e = assertThrows(OpenClFailure.class, () -> OpenClHashBackend.open(device,
                PlainOracle.RANDOM.values(), oracle, new OpenClHashBackend.Options(true, 0, BROKEN, false)));
        assertTrue(e.getMessage().startsWith(device.info().description()), e.getMessage());
        assertTrue(e.getMessage().contains("build failed"), e.getMessage());
    }

    @Test
    void failedLaunchFallsBackToTheCpuForThatBatchAndAfter() {
        OpenClDevice device = TestDevice.require();
        try (OpenClHashBackend backend = OpenClHashBackend.open(device, PlainOracle.RANDOM.values(), oracle,
                new OpenClHashBackend.Options(false, IMPOSSIBLE_WORK_GROUP, "", false))) {
            assertNull(backend.fallbackReason());
            assertSameAsOracle(backend, 8, 2);
            assertNotNull(backend.fallbackReason());
            assertTrue(backend.fallbackReason().contains("arity-8"), backend.fallbackReason());
            assertSameAsOracle(backend, 2, 2);
            assertEquals(0, backend.kernelLaunches());
        }
    }

    @Test
    void failedLaunchIsAnErrorWhenStrict() {
        OpenClDevice device = TestDevice.require();
        try (OpenClHashBackend backend = OpenClHashBackend.open(device, PlainOracle.RANDOM.values(), oracle,
                new OpenClHashBackend.Options(true, IMPOSSIBLE_WORK_GROUP, "", false))) {
            byte[] in = new byte[8 * 32];
            OpenClFailure e = assertThrows(OpenClFailure.class, () -> backend.hashGroups(8, in, 0, 1, new byte[32], 0));
            assertTrue(e.getMessage().contains(device.info().description()), e.getMessage());
        }
    }

    private void assertSameAsOracle(OpenClHashBackend backend, int arity, int count) {
        Random random = new Random(arity * 31L + count);
        byte[] in = new byte[count * arity * 32];
        for (int e = 0; e < count * arity; e++) {
            PlainOracle.write(new BigInteger(255, random).mod(KernelParams.P), in, e * 32);
        }
        byte[] expected = new byte[count * 32];
        oracle.hashGroups(arity, in, 0, count, expected, 0);
        byte[] actual = new byte[count * 32];
        backend.hashGroups(arity, in, 0, count, actual, 0);
        assertArrayEquals(expected, actual);
    }
}
