package io.postfleet.proving.storage.serve;

/**
 * What a holder answers a vanilla proof request with: the proof, "not held here" (ask the next holder), a failure to
 * prove a sector that is here (its files are damaged, or they are another sector's), or no answer in time.
 */
public sealed interface VanillaAnswer {

    /** The bincode FallbackPoStSectorProof, as generate_single_vanilla_proof returns it. */
    record Proof(byte[] bytes) implements VanillaAnswer {
    }

    /** This node does not hold the sector (HTTP 404: the caller asks the next holder). */
    record NotHeld(String reason) implements VanillaAnswer {
    }

    /** The sector is here but cannot be proven (HTTP 500 with the reason). */
    record Failed(String reason) implements VanillaAnswer {
    }

    /** No answer within the read time-out: no read slot came free, or the read was too slow (HTTP 500). */
    record TimedOut(String reason) implements VanillaAnswer {
    }
}
