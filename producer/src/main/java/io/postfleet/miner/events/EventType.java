package io.postfleet.miner.events;

import java.util.Locale;

/** What happened. Names appear in lowercase in the JSON lines. */
public enum EventType {
    /** A task went to a task topic. */
    PUBLISHED,
    /** A worker (or the miner's local prover) began proving a task. */
    STARTED,
    /** A result passed verification against the miner's own records. */
    ACCEPTED,
    /** A result failed verification or reported a failure; the task is proven again. */
    REJECTED,
    /** No live worker consumes a kind: the miner proves its tasks itself. */
    FALLBACK_STARTED,
    /** Workers consume again: the miner hands the kind back to the fleet. */
    FALLBACK_ENDED,
    /** A deadline's proofs (or a winning proof) were submitted. */
    SUBMITTED,
    /** A deadline closed, or a block was due, before its proofs were complete. */
    MISSED,
    /**
     * The worker holding a task stopped sending heartbeats: the task was published again to a live idle worker's
     * partition, or proven by the miner, at once rather than after the broker's session time-out.
     */
    REASSIGNED,
    /** A sector was skipped by a prover and declared faulty. */
    FAULT,
    /**
     * A worker's valid proof skipped sectors: before declaring them faulty the miner proves the partition where it
     * holds the sectors itself, and keeps the proof with fewer skipped sectors.
     */
    RECHECK,
    /** A sector one prover skipped (not found or damaged) was proven by another: both are named. */
    DISAGREEMENT,
    /**
     * A result for a task that was settled already (another result accepted, or the task abandoned at its close):
     * ignored, with the worker that sent it and how late it came ({@code late_ms}).
     */
    DUPLICATE,
    /**
     * The miner started again while a deadline was open: how many of its partitions were read back from the results
     * topic and how many were published again; or that the deadline is on chain already and is left alone.
     */
    RESUMED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
