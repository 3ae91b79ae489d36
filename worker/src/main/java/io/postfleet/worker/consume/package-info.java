/**
 * The worker's Kafka side: the consume-prove-publish-commit loop ({@link io.postfleet.worker.consume.PostWorker}),
 * heartbeats, dead letters and the Avro wire format.
 */
package io.postfleet.worker.consume;
