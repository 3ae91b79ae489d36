package io.postfleet.miner.gather;

import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;

import java.time.Instant;
import java.util.List;

/**
 * A complete answer to a task, from a worker (reassembled from its result records) or from the miner's local prover.
 *
 * @param bundle  the vanilla proof bundle (per-sector proofs and skipped sectors), empty unless PROVEN
 * @param skipped sector ids the prover skipped, with reasons, as the result reports them
 */
public record Answer(String taskId, String worker, Outcome outcome, byte[] bundle, List<Skip> skipped, String error,
                     Instant startedAt, Instant finishedAt, String backend) {

    /** A sector the prover could not prove, and why. */
    public record Skip(long sectorId, String reason) {
    }

    public Answer {
        skipped = List.copyOf(skipped);
    }

    /** The answer a result header (reassembled, without chunk fields) and its proof bundle carry. */
    public static Answer from(PostResult h, byte[] bundle) {
        return new Answer(h.getTaskId(), h.getWorkerId(), h.getOutcome(), bundle,
                h.getSkipped().stream().map(s -> new Skip(s.getSectorId(), s.getReason())).toList(),
                h.getError(), h.getStartedAt(), h.getFinishedAt(), h.getBackend());
    }
}
