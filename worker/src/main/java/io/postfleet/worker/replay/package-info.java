/**
 * Replaying a task topic for testing: every task published in a time range is proven again and compared with the
 * results recorded for it. Proofs are deterministic, so a difference means the sector files, the prover or the hash
 * backend changed.
 */
package io.postfleet.worker.replay;
