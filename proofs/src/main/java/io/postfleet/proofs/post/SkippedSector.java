package io.postfleet.proofs.post;

/** A sector the prover could not prove, and why (missing, truncated or corrupt file, time-out...). */
public record SkippedSector(long sectorId, String reason) {
}
