package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Launch plumbing on the device, checked against the plain BigInteger rounds: counts around the work-group size,
 * offsets into larger arrays, whole tree levels kept on the device, and refusal of non-canonical input.
 */
class BatchShapesTest {

    private static PlainOracle oracle;
    private static OpenClHashBackend backend;

    @BeforeAll
    static void open() {
        OpenClDevice device = TestDevice.require();
        oracle = new PlainOracle(PlainOracle.RANDOM);
        backend = OpenClHashBackend.open(device, PlainOracle.RANDOM.values(), oracle, OpenClHashBackend.Options.defaults(true));
    }

    @AfterAll
    static void close() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void countsAroundTheWorkGroupSizeEqualTheReference() {
        int wg = backend.workGroupSize(2);
        assertTrue(wg > 0);
        for (int count : new int[] {1, wg - 1, wg, wg + 1, 2 * wg + 3}) {
            long before = backend.kernelLaunches();
            assertEqualsReference(2, count, 3, 5, count);
            assertEquals(before + 1, backend.kernelLaunches(), "count " + count);
        }
    }

    @Test
    void zeroGroupsLaunchNothingAndWriteNothing() {
        long before = backend.kernelLaunches();
        byte[] out = new byte[32];
        java.util.Arrays.fill(out, (byte) 7);
        backend.hashGroups(8, new byte[0], 0, 0, out, 0);
        assertEquals(before, backend.kernelLaunches());
        for (byte b : out) {
            assertEquals(7, b);
        }
    }

    @Test
    void offsetsIntoLargerArraysAreHonoured() {
        assertEqualsReference(8, 3, 64, 96, 11);
    }

    @Test
    void wholeLevelsStayOnTheDeviceAndEqualLevelByLevelHashing() {
        for (int[] shape : new int[][] {{8, 512, 3}, {2, 256, 8}, {2, 64, 3}}) {
            int arity = shape[0];
            int leaves = shape[1];
            int levels = shape[2];
            byte[] in = random(leaves, 99 + arity, false);
            long before = backend.kernelLaunches();
            byte[] rows = backend.hashLevels(arity, in, 0, leaves, levels);
            assertEquals(before + levels, backend.kernelLaunches(), "one launch per level");
            // the reference: level by level through the plain rounds
            byte[] expected = new byte[rows.length];
            byte[] src = in;
            int srcOff = 0;
            int dst = 0;
            int width = leaves;
            for (int l = 0; l < levels; l++) {
                int groups = width / arity;
                oracle.hashGroups(arity, src, srcOff, groups, expected, dst);
                src = expected;
                srcOff = dst;
                dst += groups * 32;
                width = groups;
            }
            assertArrayEquals(expected, rows, "arity " + arity + ", " + leaves + " leaves, " + levels + " levels");
        }
        assertNull(backend.fallbackReason());
    }

    @Test
    void nonCanonicalInputIsRefusedNamingTheGroup() {
        byte[] in = random(2 * 8, 5, false);
        PlainOracle.write(KernelParams.P, in, (8 + 3) * 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.hashGroups(8, in, 0, 2, new byte[64], 0));
        assertTrue(e.getMessage().contains("element 3 of group 1"), e.getMessage());
    }

    private static void assertEqualsReference(int arity, int count, int inOffElements, int outOffBytes, long seed) {
        byte[] in = random(inOffElements + count * arity, seed, true);
        byte[] expected = new byte[outOffBytes + count * 32];
        byte[] actual = new byte[outOffBytes + count * 32];
        oracle.hashGroups(arity, in, inOffElements * 32, count, expected, outOffBytes);
        backend.hashGroups(arity, in, inOffElements * 32, count, actual, outOffBytes);
        assertArrayEquals(expected, actual, "arity " + arity + ", " + count + " groups");
    }

    /** Random canonical elements; with {@code extremes} also 0 and p-1 at the start. */
    static byte[] random(int elements, long seed, boolean extremes) {
        Random r = new Random(seed);
        byte[] b = new byte[elements * 32];
        for (int e = 0; e < elements; e++) {
            BigInteger x = new BigInteger(255, r).mod(KernelParams.P);
            if (extremes && e % 7 == 0) {
                x = BigInteger.ZERO;
            } else if (extremes && e % 7 == 1) {
                x = KernelParams.P.subtract(BigInteger.ONE);
            }
            PlainOracle.write(x, b, e * 32);
        }
        return b;
    }
}
