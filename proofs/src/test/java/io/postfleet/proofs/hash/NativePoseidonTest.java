package io.postfleet.proofs.hash;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.field.NonCanonicalElementException;
import io.postfleet.proofs.poseidon.Poseidon;
import io.postfleet.proofs.poseidon.PoseidonParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every native path against the Java path, bit for bit: random canonical inputs for every arity, the edge values
 * 0, 1 and p - 1, group counts that leave the vector path's lanes partly idle, and non-canonical inputs. A path this
 * CPU lacks is skipped with the reason; when {@value #REQUIRE} is {@code true} (CI) the library itself must load.
 */
class NativePoseidonTest {

    static final String REQUIRE = "POSTFLEET_REQUIRE_NATIVE";
    private static final BigInteger P = Fr.MODULUS;

    static NativePoseidon library() {
        if (Boolean.parseBoolean(System.getenv(REQUIRE))) {
            return NativePoseidon.get().orElseThrow(() -> new AssertionError(REQUIRE + " is set but "
                    + NativePoseidon.unavailableReason().orElse("the library did not load")));
        }
        assumeTrue(NativePoseidon.get().isPresent(), () -> NativePoseidon.unavailableReason().orElse(""));
        return NativePoseidon.get().orElseThrow();
    }

    static CpuHashBackend backend(NativePath path) {
        NativePoseidon library = library();
        assumeTrue(library.paths().contains(path), () -> "this CPU cannot run the " + path + " path (it runs "
                + library.paths() + ")");
        return CpuHashBackend.nativePath(library, path, 2);
    }

    static Stream<Arguments> pathsAndArities() {
        return Arrays.stream(NativePath.values())
                .flatMap(p -> PoseidonParameters.ARITIES.stream().map(a -> Arguments.of(p, a)));
    }

    @ParameterizedTest(name = "{0}, arity {1}")
    @MethodSource("pathsAndArities")
    void randomGroupsEqualTheJavaPath(NativePath path, int arity) {
        int count = 613;   // not a multiple of 8: the last vector runs partly idle
        byte[] in = CpuHashBackendTest.randomElements(new Random(arity * 31L + path.ordinal()), arity * count);
        byte[] expected = new byte[count * Fr.BYTES];
        Poseidon.forArity(arity).hashGroups(in, 0, count, expected, 0);
        try (CpuHashBackend backend = backend(path)) {
            byte[] out = new byte[count * Fr.BYTES];
            backend.hashGroups(arity, in, 0, count, out, 0);
            assertArrayEquals(expected, out);
        }
    }

    @ParameterizedTest(name = "{0}, arity {1}")
    @MethodSource("pathsAndArities")
    void edgeValuesEqualTheJavaPath(NativePath path, int arity) {
        BigInteger[] edges = {BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), BigInteger.TWO,
                P.subtract(BigInteger.TWO), BigInteger.ONE.shiftLeft(254), BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
        int count = edges.length + 2;
        byte[] in = new byte[count * arity * Fr.BYTES];
        for (int g = 0; g < count; g++) {
            for (int i = 0; i < arity; i++) {
                // groups of one value, then groups mixing them
                BigInteger v = g < edges.length ? edges[g] : edges[(g + i) % edges.length];
                Fr.fromBigInteger(v).toBytes(in, (g * arity + i) * Fr.BYTES);
            }
        }
        byte[] expected = new byte[count * Fr.BYTES];
        Poseidon.forArity(arity).hashGroups(in, 0, count, expected, 0);
        try (CpuHashBackend backend = backend(path)) {
            byte[] out = new byte[count * Fr.BYTES];
            backend.hashGroups(arity, in, 0, count, out, 0);
            assertArrayEquals(expected, out);
        }
    }

    @ParameterizedTest
    @EnumSource(NativePath.class)
    void offsetsAndInPlaceLevelsEqualTheJavaPath(NativePath path) {
        int leaves = 8 * 8 * 8 * 3;
        byte[] in = CpuHashBackendTest.randomElements(new Random(5), leaves + 5);
        try (CpuHashBackend backend = backend(path); CpuHashBackend java = new CpuHashBackend(1)) {
            assertArrayEquals(java.hashLevels(8, in, 160, leaves, 3), backend.hashLevels(8, in, 160, leaves, 3));
            byte[] a = in.clone();
            byte[] b = in.clone();
            java.hashGroups(2, a, 64, 100, a, 0);
            backend.hashGroups(2, b, 64, 100, b, 0);
            assertArrayEquals(a, b, "output written over its own input");
        }
    }

    @ParameterizedTest
    @EnumSource(NativePath.class)
    void nonCanonicalInputIsRefusedNamingGroupAndElement(NativePath path) {
        byte[] in = CpuHashBackendTest.randomElements(new Random(9), 8 * 20);
        Fr.fromBigInteger(BigInteger.ZERO).toBytes(in, (13 * 8 + 5) * Fr.BYTES);
        byte[] p = P.toByteArray();   // big-endian, 32 bytes
        for (int k = 0; k < Fr.BYTES; k++) {
            in[(13 * 8 + 5) * Fr.BYTES + k] = p[p.length - 1 - k];
        }
        try (CpuHashBackend backend = backend(path)) {
            NonCanonicalElementException e = assertThrows(NonCanonicalElementException.class,
                    () -> backend.hashGroups(8, in, 0, 20, new byte[20 * Fr.BYTES], 0));
            assertTrue(e.getMessage().contains("element 5 of group 13"), e.getMessage());
        }
    }

    @Test
    void theFastestPathIsReportedAndPortableAlwaysRuns() {
        NativePoseidon library = library();
        assertTrue(library.paths().contains(NativePath.PORTABLE), library.paths().toString());
        assertEquals(library.best(), library.paths().stream().reduce((a, b) -> b).orElseThrow());
        try (HashBackend auto = HashBackends.bestCpu()) {
            assertEquals("native " + library.best().label(), auto.description());
        }
    }

    @ParameterizedTest
    @EnumSource(NativePath.class)
    void multiplicationChainsAgreeAcrossScalarPaths(NativePath path) {
        assumeTrue(path != NativePath.AVX512_IFMA, "the IFMA path multiplies in another Montgomery domain");
        NativePoseidon library = library();
        assumeTrue(library.paths().contains(path), () -> "this CPU cannot run " + path);
        byte[] x = Fr.fromBigInteger(BigInteger.valueOf(12345)).toBytes();
        byte[] y = Fr.fromBigInteger(P.subtract(BigInteger.valueOf(3))).toBytes();
        byte[] ref = x.clone();
        library.mulChain(NativePath.PORTABLE, ref, y, 1000);
        library.mulChain(path, x, y, 1000);
        assertArrayEquals(ref, x);
        assertFalse(Arrays.equals(ref, Fr.fromBigInteger(BigInteger.valueOf(12345)).toBytes()));
    }
}
