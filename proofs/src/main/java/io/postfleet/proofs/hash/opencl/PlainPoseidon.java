package io.postfleet.proofs.hash.opencl;

import java.math.BigInteger;
import java.util.List;

/**
 * The plain (unoptimized) description of one Poseidon instance as the device needs it: width {@code arity + 1},
 * full and partial round counts, {@code (fullRounds + partialRounds) * width} round constants consumed in order and
 * the MDS matrix, all as canonical Fr integers. Built from the poseidon package's parameters; this package never
 * generates constants itself.
 */
record PlainPoseidon(int arity, int fullRounds, int partialRounds, List<BigInteger> roundConstants,
                     List<List<BigInteger>> mds) {

    PlainPoseidon {
        int t = arity + 1;
        if (fullRounds % 2 != 0 || fullRounds < 2) {
            throw new IllegalArgumentException("Poseidon arity " + arity + ": full rounds must be even and >= 2, got " + fullRounds);
        }
        if (roundConstants.size() != (fullRounds + partialRounds) * t) {
            throw new IllegalArgumentException("Poseidon arity " + arity + ": expected " + (fullRounds + partialRounds) * t
                    + " round constants, got " + roundConstants.size());
        }
        if (mds.size() != t || mds.stream().anyMatch(row -> row.size() != t)) {
            throw new IllegalArgumentException("Poseidon arity " + arity + ": MDS matrix must be " + t + "x" + t);
        }
        roundConstants = List.copyOf(roundConstants);
        mds = mds.stream().map(List::copyOf).toList();
    }

    int width() {
        return arity + 1;
    }

    /** Filecoin MerkleTree domain tag: 2^arity - 1. */
    BigInteger domainTag() {
        return BigInteger.ONE.shiftLeft(arity).subtract(BigInteger.ONE);
    }
}
