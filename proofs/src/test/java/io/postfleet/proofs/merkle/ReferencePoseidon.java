package io.postfleet.proofs.merkle;

import io.postfleet.proofs.hash.HashBackend;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * A plain BigInteger Poseidon written straight from the specification's reference mode (Grain LFSR round constants,
 * Cauchy MDS, MerkleTree domain tag, output state[1]). Slow and independent of the production CPU backend, it is the
 * oracle tests compare trees and proofs against.
 */
public final class ReferencePoseidon implements HashBackend {

    static final BigInteger P = new BigInteger("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001", 16);

    private record Params(int t, int rf, int rp, BigInteger[] rc, BigInteger[][] mds) {
    }

    private final Map<Integer, Params> params = new HashMap<>();

    @Override
    public String description() {
        return "reference";
    }

    private synchronized Params params(int arity) {
        return params.computeIfAbsent(arity, a -> {
            int t = a + 1;
            int rp = switch (t) {
                case 3 -> 55;
                case 5 -> 56;
                case 9, 12 -> 57;
                case 17 -> 59;
                default -> throw new IllegalArgumentException("arity " + a);
            };
            return new Params(t, 8, rp, constants(t, 8, rp), mds(t));
        });
    }

    static BigInteger[] constants(int t, int rf, int rp) {
        boolean[] s = new boolean[80];
        int i = 0;
        i = put(s, i, 1, 2);
        i = put(s, i, 1, 4);
        i = put(s, i, 255, 12);
        i = put(s, i, t, 12);
        i = put(s, i, rf, 10);
        i = put(s, i, rp, 10);
        for (; i < 80; i++) {
            s[i] = true;
        }
        int[] pos = {0};
        boolean[][] state = {s};
        java.util.function.BooleanSupplier next = () -> {
            boolean[] st = state[0];
            boolean b = st[62] ^ st[51] ^ st[38] ^ st[23] ^ st[13] ^ st[0];
            System.arraycopy(st, 1, st, 0, 79);
            st[79] = b;
            return b;
        };
        for (int k = 0; k < 160; k++) {
            next.getAsBoolean();
        }
        BigInteger[] out = new BigInteger[(rf + rp) * t];
        for (int c = 0; c < out.length; c++) {
            while (true) {
                BigInteger v = BigInteger.ZERO;
                for (int bit = 0; bit < 255; bit++) {
                    boolean b;
                    while (true) {
                        boolean b1 = next.getAsBoolean();
                        boolean b2 = next.getAsBoolean();
                        if (b1) {
                            b = b2;
                            break;
                        }
                    }
                    v = v.shiftLeft(1).or(b ? BigInteger.ONE : BigInteger.ZERO);
                }
                if (v.compareTo(P) < 0) {
                    out[c] = v;
                    break;
                }
            }
        }
        return out;
    }

    private static int put(boolean[] s, int at, int value, int bits) {
        for (int b = bits - 1; b >= 0; b--) {
            s[at++] = ((value >> b) & 1) == 1;
        }
        return at;
    }

    static BigInteger[][] mds(int t) {
        BigInteger[][] m = new BigInteger[t][t];
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < t; j++) {
                m[i][j] = BigInteger.valueOf(i + j + t).modInverse(P);
            }
        }
        return m;
    }

    public BigInteger hash(BigInteger[] inputs) {
        Params p = params(inputs.length);
        int t = p.t();
        BigInteger[] st = new BigInteger[t];
        st[0] = BigInteger.ONE.shiftLeft(inputs.length).subtract(BigInteger.ONE);
        System.arraycopy(inputs, 0, st, 1, inputs.length);
        int off = 0;
        int rounds = p.rf() + p.rp();
        for (int r = 0; r < rounds; r++) {
            boolean full = r < p.rf() / 2 || r >= p.rf() / 2 + p.rp();
            for (int i = 0; i < t; i++) {
                st[i] = st[i].add(p.rc()[off + i]).mod(P);
                if (full || i == 0) {
                    st[i] = st[i].modPow(BigInteger.valueOf(5), P);
                }
            }
            off += t;
            BigInteger[] n = new BigInteger[t];
            for (int i = 0; i < t; i++) {
                BigInteger acc = BigInteger.ZERO;
                for (int j = 0; j < t; j++) {
                    acc = acc.add(p.mds()[i][j].multiply(st[j]));
                }
                n[i] = acc.mod(P);
            }
            st = n;
        }
        return st[1];
    }

    static BigInteger fromLe(byte[] b, int off) {
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) {
            be[32 - i] = b[off + i];
        }
        return new BigInteger(be);
    }

    static void toLe(BigInteger v, byte[] out, int off) {
        byte[] be = v.toByteArray();
        java.util.Arrays.fill(out, off, off + 32, (byte) 0);
        for (int i = 0; i < be.length && i < 32; i++) {
            out[off + i] = be[be.length - 1 - i];
        }
    }

    @Override
    public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        for (int g = 0; g < count; g++) {
            BigInteger[] x = new BigInteger[arity];
            for (int i = 0; i < arity; i++) {
                int o = inOff + (g * arity + i) * 32;
                if (!Node.isCanonical(in, o)) {
                    throw new IllegalArgumentException("group " + g + " element " + i + " is not canonical");
                }
                x[i] = fromLe(in, o);
            }
            toLe(hash(x), out, outOff + g * 32);
        }
    }
}
