package io.postfleet.proofs.post;

/** What proving one sector gave: its checked proof, or the reason it was set aside. */
sealed interface SectorOutcome permits SectorOutcome.Proven, SkippedSector {

    long sectorId();

    /** A sector whose proof was made and every inclusion path checked against its comm_r_last. */
    record Proven(FallbackPoStSectorProof proof) implements SectorOutcome {

        @Override
        public long sectorId() {
            return proof.sectorId();
        }
    }
}
