package io.postfleet.miner.fallback;

import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.gather.Answer;
import io.postfleet.worker.prove.TaskAnswer;
import io.postfleet.worker.prove.TaskProver;

/**
 * The miner's own prover: the same {@link TaskProver} a worker runs, over the miner's storage paths. Its answers go
 * through the same verification as a worker's.
 */
public final class LocalProver {

    private final TaskProver prover;

    public LocalProver(TaskProver prover) {
        this.prover = prover;
    }

    /** Proves {@code task} on the calling thread. */
    public Answer prove(TaskRecord task) {
        TaskAnswer answer;
        try {
            answer = prover.answer(task.task());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("local proving of " + task.taskId() + " was interrupted", e);
        }
        return Answer.from(answer.header(), answer.proof());
    }
}
