package io.postfleet.proofs.sector;

/** A sealed sector's commitments: comm_c (tree_c root), comm_r_last (tree_r_last root), comm_r = Poseidon2 of both. */
public record SectorCommitments(byte[] commC, byte[] commRLast, byte[] commR) {
}
