package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.postfleet.proofs.hash.BackendSpec;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import java.math.BigInteger;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Filecoin Poseidon instances on the OpenCL device (PoCL on a build machine), opened the way commands open
 * them ({@code --hash opencl:N}) with fallback off, equal the CPU path bit for bit and the upstream digests.
 */
class OpenClMatchesCpuTest {

    private static OpenClHashBackend device;
    private static HashBackend cpu;

    @BeforeAll
    static void open() {
        OpenClDevice test = TestDevice.require();
        HashBackend opened = HashBackends.open(new BackendSpec.OpenCl(OptionalInt.of(test.info().index())), true);
        device = assertInstanceOf(OpenClHashBackend.class, opened);
        cpu = new CpuHashBackend();
    }

    @AfterAll
    static void close() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void theOpenClDeviceIsTheOneAskedFor() {
        OpenClDevice test = TestDevice.require();
        assertEquals(test.info(), device.device());
        assertEquals(test.info().description(), device.description());
        assertTrue(device.description().startsWith("opencl:" + test.info().index() + " "), device.description());
    }

    @Test
    void upstreamDigestsOfZeroToArityMinusOne() {
        // docs/post-spec.md section 11.1: neptune hash_values_aux, MerkleTree type, preimage [0, 1, ..., arity-1], 4 LE u64 limbs
        assertDigest(2, 0x2e203c369a02e7ffL, 0xa6fba9339d05a69dL, 0x739e0fd902efe161L, 0x396508d75e76a56bL);
        assertDigest(4, 0x019814ff6662075dL, 0xfb6b4605bf1327ecL, 0x00db3c6579229399L, 0x58a54b10a9e5848aL);
        assertDigest(8, 0x2a9934f56d38a5e6L, 0x4b682e9d9cc4aed9L, 0x1201004211677077L, 0x2394611da3a5de55L);
        assertDigest(11, 0xcee3bbc32b693163L, 0x09f3dcd8ccb08fc1L, 0x6ca537e232ebe87aL, 0x0c0fc1b2e5227f28L);
    }

    @Test
    void batchesEqualTheCpuPathForArities2And8And11() {
        for (int arity : new int[] {2, 8, 11}) {
            int wg = device.workGroupSize(arity);
            assertTrue(wg > 0, "arity " + arity + " has a kernel");
            for (int count : new int[] {1, wg - 1, wg + 1, 3 * wg + 5}) {
                byte[] in = BatchShapesTest.random(count * arity, arity * 1000L + count, true);
                byte[] expected = new byte[count * 32];
                cpu.hashGroups(arity, in, 0, count, expected, 0);
                byte[] actual = new byte[count * 32];
                long before = device.kernelLaunches();
                device.hashGroups(arity, in, 0, count, actual, 0);
                assertEquals(before + 1, device.kernelLaunches(), "arity " + arity + ", " + count + " groups on the device");
                assertArrayEquals(expected, actual, "arity " + arity + ", " + count + " groups");
            }
        }
        assertNull(device.fallbackReason());
    }

    @Test
    void allZeroAndAllMaximalGroupsEqualTheCpuPathForEveryArity() {
        for (int arity : new int[] {2, 4, 8, 11, 16}) {
            byte[] in = new byte[2 * arity * 32];
            for (int e = arity; e < 2 * arity; e++) {
                PlainOracle.write(KernelParams.P.subtract(BigInteger.ONE), in, e * 32);
            }
            byte[] expected = new byte[64];
            cpu.hashGroups(arity, in, 0, 2, expected, 0);
            byte[] actual = new byte[64];
            device.hashGroups(arity, in, 0, 2, actual, 0);
            assertArrayEquals(expected, actual, "arity " + arity + ": all 0 and all p-1");
        }
    }

    @Test
    void wholeTreeLevelsEqualTheCpuPath() {
        for (int[] shape : new int[][] {{8, 4096, 4}, {2, 2048, 11}}) {
            int arity = shape[0];
            int leaves = shape[1];
            int levels = shape[2];
            byte[] in = BatchShapesTest.random(leaves, leaves, true);
            byte[] expected = cpu.hashLevels(arity, in, 0, leaves, levels);
            long before = device.kernelLaunches();
            byte[] actual = device.hashLevels(arity, in, 0, leaves, levels);
            assertEquals(before + levels, device.kernelLaunches(), "one launch per level");
            assertArrayEquals(expected, actual, "arity " + arity + ", " + leaves + " leaves, " + levels + " levels");
        }
    }

    private static void assertDigest(int arity, long l0, long l1, long l2, long l3) {
        byte[] in = new byte[arity * 32];
        for (int i = 0; i < arity; i++) {
            in[i * 32] = (byte) i;
        }
        byte[] out = new byte[32];
        long before = device.kernelLaunches();
        device.hashGroups(arity, in, 0, 1, out, 0);
        assertEquals(before + 1, device.kernelLaunches());
        long[] limbs = {l0, l1, l2, l3};
        byte[] expected = new byte[32];
        for (int i = 0; i < 32; i++) {
            expected[i] = (byte) (limbs[i / 8] >>> (8 * (i % 8)));
        }
        assertArrayEquals(expected, out, "arity " + arity);
    }
}
