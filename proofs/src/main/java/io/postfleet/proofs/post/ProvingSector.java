package io.postfleet.proofs.post;

import io.postfleet.proofs.sector.SectorFiles;

/**
 * A sector to prove: its id, the comm_r the chain holds for it, and its files ({@code null} when no storage path has
 * it; it is then skipped as "not found in any storage path").
 */
public record ProvingSector(long sectorId, byte[] commR, SectorFiles files) {
}
