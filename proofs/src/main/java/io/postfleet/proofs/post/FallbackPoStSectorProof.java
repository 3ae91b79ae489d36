package io.postfleet.proofs.post;

import java.util.List;

/**
 * One sector's vanilla proof as filecoin-ffi's generate_single_vanilla_proof returns it: the sector id, the comm_r
 * the caller gave, and a partition-shaped Proof holding one SectorProof. Bytes: {@link VanillaProofCodec}.
 */
public record FallbackPoStSectorProof(long sectorId, byte[] commR, List<SectorProof> sectors) {

    public FallbackPoStSectorProof {
        sectors = List.copyOf(sectors);
    }

    public FallbackPoStSectorProof(long sectorId, byte[] commR, SectorProof proof) {
        this(sectorId, commR, List.of(proof));
    }

    /** The single SectorProof such a proof carries. */
    public SectorProof proof() {
        if (sectors.size() != 1) {
            throw new IllegalStateException("sector " + sectorId + " proof holds " + sectors.size() + " sector proofs, not 1");
        }
        return sectors.get(0);
    }
}
