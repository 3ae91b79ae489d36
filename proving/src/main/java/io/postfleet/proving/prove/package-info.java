/**
 * Turns a typed task into an answer: locates the sectors in the storage paths, proves with the proofs library's
 * PartitionProver, answers EXPIRED past the due time. Shared by the worker and the miner's local fallback.
 */
package io.postfleet.proving.prove;
