package io.postfleet.proofs.hash.opencl;

import io.postfleet.proofs.hash.HashBackend;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Poseidon in the specification's plain form (every round with the full MDS product) over BigInteger, for any
 * {@link PlainPoseidon}: the oracle for the kernel's optimized rounds under arbitrary constants.
 */
final class PlainOracle implements HashBackend {

    private static final BigInteger P = KernelParams.P;

    /** Random instances with the real round counts of arities 2 and 8, and a small arity-4 one. */
    static final Map<Integer, PlainPoseidon> RANDOM = Map.of(
            2, random(2, 8, 55, 1),
            4, random(4, 4, 7, 2),
            8, random(8, 8, 57, 3));
    private final Map<Integer, PlainPoseidon> shapes;

    PlainOracle(Map<Integer, PlainPoseidon> shapes) {
        this.shapes = shapes;
    }

    /** Random round constants and a Cauchy MDS matrix over random points (all its minors are invertible). */
    static PlainPoseidon random(int arity, int fullRounds, int partialRounds, long seed) {
        Random random = new Random(seed);
        int t = arity + 1;
        List<BigInteger> rc = new ArrayList<>();
        for (int i = 0; i < (fullRounds + partialRounds) * t; i++) {
            rc.add(new BigInteger(255, random).mod(P));
        }
        List<BigInteger> xs = new ArrayList<>();
        List<BigInteger> ys = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            xs.add(new BigInteger(255, random).mod(P));
            ys.add(new BigInteger(255, random).mod(P));
        }
        List<List<BigInteger>> mds = new ArrayList<>();
        for (int i = 0; i < t; i++) {
            List<BigInteger> row = new ArrayList<>();
            for (int j = 0; j < t; j++) {
                row.add(xs.get(i).add(ys.get(j)).mod(P).modInverse(P));
            }
            mds.add(row);
        }
        return new PlainPoseidon(arity, fullRounds, partialRounds, rc, mds);
    }

    BigInteger hash(PlainPoseidon s, BigInteger[] inputs) {
        int t = s.width();
        BigInteger[] state = new BigInteger[t];
        state[0] = s.domainTag();
        System.arraycopy(inputs, 0, state, 1, s.arity());
        int off = 0;
        int rounds = s.fullRounds() + s.partialRounds();
        for (int r = 0; r < rounds; r++) {
            boolean full = r < s.fullRounds() / 2 || r >= s.fullRounds() / 2 + s.partialRounds();
            for (int i = 0; i < t; i++) {
                state[i] = state[i].add(s.roundConstants().get(off + i)).mod(P);
                if (full || i == 0) {
                    state[i] = state[i].modPow(BigInteger.valueOf(5), P);
                }
            }
            off += t;
            BigInteger[] next = new BigInteger[t];
            for (int i = 0; i < t; i++) {
                BigInteger acc = BigInteger.ZERO;
                for (int j = 0; j < t; j++) {
                    acc = acc.add(s.mds().get(i).get(j).multiply(state[j]));
                }
                next[i] = acc.mod(P);
            }
            state = next;
        }
        return state[1];
    }

    @Override
    public String description() {
        return "plain-oracle";
    }

    @Override
    public void hashGroups(int arity, byte[] in, int inOff, int count, byte[] out, int outOff) {
        PlainPoseidon s = shapes.get(arity);
        for (int g = 0; g < count; g++) {
            BigInteger[] inputs = new BigInteger[arity];
            for (int i = 0; i < arity; i++) {
                inputs[i] = read(in, inOff + (g * arity + i) * 32);
            }
            write(hash(s, inputs), out, outOff + g * 32);
        }
    }

    static BigInteger read(byte[] b, int off) {
        byte[] be = new byte[33];
        for (int i = 0; i < 32; i++) {
            be[32 - i] = b[off + i];
        }
        return new BigInteger(be);
    }

    static void write(BigInteger x, byte[] b, int off) {
        for (int i = 0; i < 32; i++) {
            b[off + i] = x.shiftRight(8 * i).byteValue();
        }
    }
}
