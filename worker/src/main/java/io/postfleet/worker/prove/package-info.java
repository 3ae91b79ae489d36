/**
 * Turns a task record into a result: locates the sectors in the storage paths, proves with the proofs library's
 * PartitionProver, answers EXPIRED past the deadline. Shared by the worker and the miner's local fallback.
 */
package io.postfleet.worker.prove;
