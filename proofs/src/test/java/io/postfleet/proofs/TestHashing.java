package io.postfleet.proofs;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.CpuHashBackend;

/** The backend tests hash with: the production CPU path (trees are also checked against the reference Poseidon). */
public final class TestHashing {

    private TestHashing() {
    }

    public static HashBackend backend() {
        return new CpuHashBackend(2);
    }
}
