package io.postfleet.miner.fallback;

import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.gather.Answer;
import io.postfleet.proving.prove.TaskProver;

/**
 * The miner's own prover: the same {@link TaskProver} a worker runs, over the miner's storage paths. Its answers go
 * through the same verification as a worker's, the proof handed over as it is.
 */
public final class LocalProver {

    private final TaskProver prover;

    public LocalProver(TaskProver prover) {
        this.prover = prover;
    }

    /** Proves {@code task} on the calling thread. */
    public Answer prove(TaskRecord task) {
        try {
            return Answer.fromLocal(prover.answer(task.task()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("local proving of " + task.taskId() + " was interrupted", e);
        }
    }
}
