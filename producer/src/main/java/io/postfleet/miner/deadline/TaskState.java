package io.postfleet.miner.deadline;

/** Where a task stands in the miner's book. */
public enum TaskState {
    /** Published; waiting for a worker's result. */
    PENDING,
    /** The miner proves it itself (no live worker, a rejected result, or too little time left). */
    LOCAL,
    /** A result passed verification; later results for it are ignored. */
    ACCEPTED,
    /** Its deadline closed or its block was due before a valid result came. */
    ABANDONED
}
