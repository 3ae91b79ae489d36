/**
 * Real servers for tests and scripts, each bound to 127.0.0.1 on a free port and stopped by whoever started it:
 * an in-JVM KRaft Kafka broker ({@link io.postfleet.testkit.EmbeddedKafka}, also runnable as a standalone process
 * through {@link io.postfleet.testkit.KafkaServerMain}) and the schema registry process.
 */
package io.postfleet.testkit;
