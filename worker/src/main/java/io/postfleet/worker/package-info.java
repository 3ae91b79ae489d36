/**
 * The PoSt worker: consumes window or winning tasks from Kafka, proves them with the proofs library, publishes
 * results (chunked when large) before committing, reports heartbeats and exposes metrics.
 */
package io.postfleet.worker;
