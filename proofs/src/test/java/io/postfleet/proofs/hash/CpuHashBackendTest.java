package io.postfleet.proofs.hash;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.field.NonCanonicalElementException;
import io.postfleet.proofs.poseidon.Poseidon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuHashBackendTest {

    static byte[] randomElements(Random random, int n) {
        byte[] out = new byte[n * 32];
        for (int i = 0; i < n; i++) {
            BigInteger v;
            do {
                v = new BigInteger(255, random);
            } while (v.compareTo(Fr.MODULUS) >= 0);
            Fr.fromBigInteger(v).toBytes(out, i * 32);
        }
        return out;
    }

    /** Every group hashed one at a time through {@link Poseidon#hash(byte[]...)}. */
    static byte[] oneByOne(int arity, byte[] in, int inOff, int count) {
        byte[] out = new byte[count * 32];
        for (int g = 0; g < count; g++) {
            byte[][] group = new byte[arity][];
            for (int i = 0; i < arity; i++) {
                int at = inOff + (g * arity + i) * 32;
                group[i] = Arrays.copyOfRange(in, at, at + 32);
            }
            System.arraycopy(Poseidon.forArity(arity).hash(group), 0, out, g * 32, 32);
        }
        return out;
    }

    @ParameterizedTest(name = "{0} groups")
    @ValueSource(ints = {0, 1, 7, 255, 256, 513, 1500})
    void anyCountOnSeveralThreadsEqualsOneByOneHashing(int count) {
        byte[] in = randomElements(new Random(count), 8 * count + 3);
        byte[] expected = oneByOne(8, in, 96, count);
        try (CpuHashBackend backend = new CpuHashBackend(3)) {
            byte[] out = new byte[count * 32 + 64];
            backend.hashGroups(8, in, 96, count, out, 64);
            assertArrayEquals(expected, Arrays.copyOfRange(out, 64, 64 + count * 32));
            assertTrue(Arrays.equals(new byte[64], 0, 64, out, 0, 64), "bytes before outOff untouched");
        }
    }

    @Test
    void levelsEqualLevelByLevelHashing() {
        byte[] leaves = randomElements(new Random(11), 512);
        try (CpuHashBackend backend = new CpuHashBackend(2)) {
            byte[] rows = backend.hashLevels(8, leaves, 0, 512, 3);
            byte[] row1 = oneByOne(8, leaves, 0, 64);
            byte[] row2 = oneByOne(8, row1, 0, 8);
            byte[] row3 = oneByOne(8, row2, 0, 1);
            assertArrayEquals(row1, Arrays.copyOfRange(rows, 0, 64 * 32));
            assertArrayEquals(row2, Arrays.copyOfRange(rows, 64 * 32, 72 * 32));
            assertArrayEquals(row3, Arrays.copyOfRange(rows, 72 * 32, 73 * 32));
        }
    }

    @Test
    void nonCanonicalInputNamesTheGroupIndexEvenWhenSplit() {
        int count = 2000;
        byte[] in = randomElements(new Random(5), 2 * count);
        int badGroup = 1777;
        Arrays.fill(in, (badGroup * 2 + 1) * 32, (badGroup * 2 + 2) * 32, (byte) 0xff);
        try (CpuHashBackend backend = new CpuHashBackend(4)) {
            NonCanonicalElementException e = assertThrows(NonCanonicalElementException.class,
                    () -> backend.hashGroups(2, in, 0, count, new byte[count * 32], 0));
            assertTrue(e.getMessage().contains("group " + badGroup), e.getMessage());
        }
    }

    @Test
    void describesItselfAndRefusesBadArguments() {
        try (CpuHashBackend backend = new CpuHashBackend()) {
            assertEquals("java", backend.description());
            assertEquals(Runtime.getRuntime().availableProcessors(), backend.threads());
            assertThrows(IllegalArgumentException.class, () -> backend.hashGroups(3, new byte[96], 0, 1, new byte[32], 0));
            assertThrows(IllegalArgumentException.class, () -> backend.hashGroups(2, new byte[64], 0, 2, new byte[64], 0));
            assertThrows(IllegalArgumentException.class, () -> backend.hashGroups(2, new byte[64], 0, 1, new byte[16], 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuHashBackend(0));
    }
}
