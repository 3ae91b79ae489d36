package io.postfleet.proofs.post;

/** What proving one sector gave: its checked proof, or the reason it was set aside. */
sealed interface SectorOutcome permits SectorOutcome.Proven, SkippedSector {

    long sectorId();

    /**
     * A sector whose proof was made and every inclusion path checked against its comm_r_last; {@code holder} names
     * the node that read it when no local path held it, null when it was read here.
     */
    record Proven(FallbackPoStSectorProof proof, String holder) implements SectorOutcome {

        Proven(FallbackPoStSectorProof proof) {
            this(proof, null);
        }

        @Override
        public long sectorId() {
            return proof.sectorId();
        }
    }
}
