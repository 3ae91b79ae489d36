package io.postfleet.proofs.post;

import io.postfleet.proofs.merkle.MerkleProof;

import java.util.List;

/** Upstream SectorProof: one inclusion proof per challenge (in challenge order) and the sector's p_aux values. */
public record SectorProof(List<MerkleProof> inclusionProofs, byte[] commC, byte[] commRLast) {

    public SectorProof {
        inclusionProofs = List.copyOf(inclusionProofs);
    }
}
