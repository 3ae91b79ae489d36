package io.postfleet.proofs.post;

/**
 * A sector the prover could not prove, and why (missing, truncated or corrupt file, time-out...). The same value ends
 * a sector's way whether reading its files or checking its proof failed.
 */
public record SkippedSector(long sectorId, String reason) implements SectorReader.Outcome, SectorOutcome {
}
