package io.postfleet.proofs.poseidon;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.field.NonCanonicalElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimized rounds (compressed constants, sparse matrices) equal the specification's plain rounds. */
class OptimizedRoundsTest {

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

    @ParameterizedTest(name = "arity {0}")
    @ValueSource(ints = {2, 4, 8, 11, 16})
    void sparseRoundsEqualPlainRoundsOnRandomInputs(int arity) {
        Poseidon p = Poseidon.forArity(arity);
        Random random = new Random(arity * 1000L + 7);
        int count = 40;
        byte[] in = randomElements(random, arity * count);
        byte[] out = new byte[count * 32];
        p.hashGroups(in, 0, count, out, 0);
        for (int g = 0; g < count; g++) {
            byte[] plain = p.hashPlain(in, g * arity * 32);
            byte[] optimized = java.util.Arrays.copyOfRange(out, g * 32, g * 32 + 32);
            assertArrayEquals(plain, optimized, "group " + g);
        }
    }

    @ParameterizedTest(name = "arity {0}")
    @ValueSource(ints = {2, 8, 11})
    void plainRoundsMatchAnIndependentBigIntegerEvaluation(int arity) {
        PoseidonParameters params = PoseidonParameters.forArity(arity);
        Random random = new Random(arity);
        byte[] in = randomElements(random, arity);
        int t = params.width();
        BigInteger p = Fr.MODULUS;
        BigInteger[] s = new BigInteger[t];
        s[0] = params.domainTag();
        for (int i = 0; i < arity; i++) {
            s[i + 1] = Fr.fromBytes(in, i * 32, "input").toBigInteger();
        }
        int rounds = params.fullRounds() + params.partialRounds();
        for (int r = 0; r < rounds; r++) {
            boolean full = r < params.fullRounds() / 2 || r >= params.fullRounds() / 2 + params.partialRounds();
            for (int i = 0; i < t; i++) {
                s[i] = s[i].add(params.roundConstants().get(r * t + i)).mod(p);
                if (full || i == 0) {
                    s[i] = s[i].modPow(BigInteger.valueOf(5), p);
                }
            }
            BigInteger[] n = new BigInteger[t];
            for (int i = 0; i < t; i++) {
                BigInteger acc = BigInteger.ZERO;
                for (int j = 0; j < t; j++) {
                    acc = acc.add(params.mds().get(i).get(j).multiply(s[j]));
                }
                n[i] = acc.mod(p);
            }
            s = n;
        }
        assertArrayEquals(Fr.fromBigInteger(s[1]).toBytes(), Poseidon.forArity(arity).hash(split(in, arity)));
    }

    static byte[][] split(byte[] in, int n) {
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            out[i] = java.util.Arrays.copyOfRange(in, i * 32, i * 32 + 32);
        }
        return out;
    }

    @Test
    void nonCanonicalInputNamesItsGroupAndElement() {
        Poseidon p = Poseidon.forArity(8);
        byte[] in = randomElements(new Random(3), 8 * 5);
        java.util.Arrays.fill(in, (3 * 8 + 6) * 32, (3 * 8 + 7) * 32, (byte) 0xff);
        NonCanonicalElementException e = assertThrows(NonCanonicalElementException.class,
                () -> p.hashGroups(in, 0, 5, new byte[5 * 32], 0));
        assertTrue(e.getMessage().contains("element 6 of group 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.hash(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> Poseidon.forArity(3));
    }
}
