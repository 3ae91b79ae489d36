package io.postfleet.proofs;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.ReferencePoseidon;

/** The backend tests hash with. */
public final class TestHashing {

    private TestHashing() {
    }

    public static HashBackend backend() {
        return new ReferencePoseidon();
    }
}
