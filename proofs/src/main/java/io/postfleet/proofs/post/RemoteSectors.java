package io.postfleet.proofs.post;

import io.postfleet.proofs.sector.SectorSize;

import java.util.List;

/**
 * Proves sectors that no local storage path holds by asking the nodes that hold them (the storage plane, as Lotus's
 * remote vanilla reads). The proofs library only calls it; the asking, and the check of every answer against the
 * sector's comm_r and the challenges before it is returned, belong to the implementation.
 */
public interface RemoteSectors {

    /** The proof the challenges are for (a holder's answer is the same bytes either way; the proof type differs). */
    enum Kind { WINDOW, WINNING }

    /** What asking for one sector gave. */
    sealed interface Outcome permits Read, Unavailable {
    }

    /** A vanilla proof a holder read, already verified against the sector's comm_r and challenges. */
    record Read(FallbackPoStSectorProof proof, String holder) implements Outcome {
    }

    /** No holder gave a good proof: {@code reason} names each one asked and what it answered. */
    record Unavailable(String reason) implements Outcome {
    }

    /**
     * The outcome for each sector (same order), each proven against the challenges at the same position.
     *
     * @param minerId the miner actor the sectors belong to
     * @param sectors sectors with no local files ({@link ProvingSector#files()} null)
     */
    List<Outcome> prove(SectorSize size, Kind kind, long minerId, List<ProvingSector> sectors, List<long[]> challenges);
}
