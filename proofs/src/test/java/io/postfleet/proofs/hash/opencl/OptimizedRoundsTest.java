package io.postfleet.proofs.hash.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel's optimized rounds (carried constants, sparse partial-round matrices) equal the plain specification
 * rounds for arbitrary constants and MDS matrices, so correctness does not hinge on the particular Filecoin values.
 */
class OptimizedRoundsTest {

    @Test
    void kernelEqualsPlainRoundsForRandomParameters() {
        check(OpenClHashBackend.Options.defaults(true));
    }

    @Test
    void kernelWithTablesInGlobalMemoryEqualsPlainRounds() {
        check(new OpenClHashBackend.Options(true, 0, "", true));
    }

    private static void check(OpenClHashBackend.Options options) {
        OpenClDevice device = TestDevice.require();
        Map<Integer, PlainPoseidon> shapes = PlainOracle.RANDOM;
        PlainOracle oracle = new PlainOracle(shapes);
        try (OpenClHashBackend backend = OpenClHashBackend.open(device, shapes.values(), oracle, options)) {
            Random random = new Random(7);
            for (int arity : shapes.keySet()) {
                int count = 5;
                byte[] in = new byte[count * arity * 32];
                for (int e = 0; e < count * arity; e++) {
                    BigInteger x = e == 0 ? BigInteger.ZERO : e == 1 ? KernelParams.P.subtract(BigInteger.ONE)
                            : new BigInteger(255, random).mod(KernelParams.P);
                    PlainOracle.write(x, in, e * 32);
                }
                byte[] expected = new byte[count * 32];
                oracle.hashGroups(arity, in, 0, count, expected, 0);
                byte[] actual = new byte[count * 32];
                long before = backend.kernelLaunches();
                backend.hashGroups(arity, in, 0, count, actual, 0);
                assertEquals(before + 1, backend.kernelLaunches(), "arity " + arity + " ran one kernel launch");
                assertArrayEquals(expected, actual, "arity " + arity);
            }
            assertNull(backend.fallbackReason());
            assertTrue(backend.description().startsWith("opencl:" + device.info().index() + " "));
        }
    }
}
