package io.postfleet.proofs.field;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrTest {

    private static final BigInteger P = Fr.MODULUS;
    private final Random random = new Random(20261124);

    private BigInteger randomBelowP() {
        BigInteger v;
        do {
            v = new BigInteger(255, random);
        } while (v.compareTo(P) >= 0);
        return v;
    }

    /** Random values plus the edges where carries and reductions happen. */
    private BigInteger[] samples() {
        BigInteger[] s = new BigInteger[400];
        s[0] = BigInteger.ZERO;
        s[1] = BigInteger.ONE;
        s[2] = P.subtract(BigInteger.ONE);
        s[3] = P.subtract(BigInteger.TWO);
        s[4] = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
        s[5] = BigInteger.ONE.shiftLeft(254);
        s[6] = P.shiftRight(1);
        for (int i = 7; i < s.length; i++) {
            s[i] = randomBelowP();
        }
        return s;
    }

    static byte[] le(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < be.length && i < 33; i++) {
            int at = be.length - 1 - i;
            if (i < 32) {
                out[i] = be[at];
            }
        }
        return out;
    }

    @Test
    void arithmeticAgreesWithBigIntegerOnRandomAndEdgeValues() {
        BigInteger[] s = samples();
        for (int i = 0; i < s.length; i++) {
            BigInteger a = s[i];
            BigInteger b = s[(i * 7 + 3) % s.length];
            Fr fa = Fr.fromBigInteger(a);
            Fr fb = Fr.fromBigInteger(b);
            assertEquals(a.add(b).mod(P), fa.add(fb).toBigInteger(), () -> a + " + " + b);
            assertEquals(a.subtract(b).mod(P), fa.sub(fb).toBigInteger(), () -> a + " - " + b);
            assertEquals(a.multiply(b).mod(P), fa.mul(fb).toBigInteger(), () -> a + " * " + b);
            assertEquals(a.multiply(a).mod(P), fa.square().toBigInteger(), () -> a + "^2");
            assertEquals(a.negate().mod(P), fa.neg().toBigInteger(), () -> "-" + a);
            assertEquals(a.modPow(BigInteger.valueOf(5), P), fa.pow(5).toBigInteger(), () -> a + "^5");
            if (a.signum() != 0) {
                assertEquals(a.modInverse(P), fa.inverse().toBigInteger(), () -> "1/" + a);
                assertEquals(Fr.ONE, fa.mul(fa.inverse()));
            }
        }
    }

    @Test
    void limbDotProductEqualsTheSumOfProducts() {
        for (int n = 1; n <= 40; n++) {
            long[] m = new long[4 * n];
            long[] v = new long[4 * n];
            BigInteger expected = BigInteger.ZERO;
            for (int j = 0; j < n; j++) {
                // n >= 20: every entry p - 1, the largest unreduced sum
                BigInteger a = j % 5 == 0 || n >= 20 ? P.subtract(BigInteger.ONE) : randomBelowP();
                BigInteger b = j % 3 == 0 || n >= 20 ? P.subtract(BigInteger.ONE) : randomBelowP();
                Fr.fromBigInteger(a).toLimbs(m, 4 * j);
                Fr.fromBigInteger(b).toLimbs(v, 4 * j);
                expected = expected.add(a.multiply(b));
            }
            long[] r = new long[4];
            long[] c = new long[4 * n];
            for (int j = 0; j < n; j++) {
                Fr.toDotCoefficient(m, 4 * j, c, 4 * j);
            }
            Fr.dot(c, 0, v, 0, n, r, 0);
            assertEquals(expected.mod(P), Fr.fromLimbs(r, 0).toBigInteger(), "n = " + n);
        }
    }

    @Test
    void fieldIdentitiesHold() {
        for (int i = 0; i < 50; i++) {
            Fr a = Fr.fromBigInteger(randomBelowP());
            Fr b = Fr.fromBigInteger(randomBelowP());
            Fr c = Fr.fromBigInteger(randomBelowP());
            assertEquals(a.mul(b.add(c)), a.mul(b).add(a.mul(c)));
            assertEquals(a.mul(b), b.mul(a));
            assertEquals(a, a.add(b).sub(b));
            assertEquals(Fr.ZERO, a.add(a.neg()));
        }
        assertEquals(Fr.fromLong(-1), Fr.fromBigInteger(P.subtract(BigInteger.ONE)));
        assertEquals(BigInteger.valueOf(123456789), Fr.fromLong(123456789).toBigInteger());
        assertThrows(ArithmeticException.class, Fr.ZERO::inverse);
    }

    @Test
    void encodingRoundTripsThroughBytesAndLimbs() {
        for (BigInteger v : samples()) {
            byte[] enc = le(v);
            Fr f = Fr.fromBytes(enc, "sample");
            assertEquals(v, f.toBigInteger());
            assertArrayEquals(enc, f.toBytes());
            byte[] buf = new byte[40];
            f.toBytes(buf, 5);
            assertEquals(f, Fr.fromBytes(buf, 5, "offset sample"));
            long[] limbs = new long[8];
            Fr.decode(buf, 5, limbs, 4, "limbs sample");
            byte[] back = new byte[32];
            Fr.encode(limbs, 4, back, 0);
            assertArrayEquals(enc, back);
        }
    }

    @Test
    void nonCanonicalValuesAreRefusedNamingTheirSource() {
        for (BigInteger bad : new BigInteger[] {P, P.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(255)}) {
            byte[] enc = le(bad);
            assertFalse(Fr.isCanonical(enc, 0));
            NonCanonicalElementException e = assertThrows(NonCanonicalElementException.class,
                    () -> Fr.fromBytes(enc, "comm_r of sector 7"));
            assertTrue(e.getMessage().contains("comm_r of sector 7"), e.getMessage());
            long[] out = new long[4];
            assertFalse(Fr.tryDecode(enc, 0, out, 0));
            assertThrows(NonCanonicalElementException.class, () -> Fr.fromBigInteger(bad));
        }
        assertTrue(Fr.isCanonical(le(P.subtract(BigInteger.ONE)), 0));
        assertThrows(IllegalArgumentException.class, () -> Fr.fromBytes(new byte[31], "short value"));
    }
}
