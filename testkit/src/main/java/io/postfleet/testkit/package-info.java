/**
 * Real servers for tests and scripts, each bound to 127.0.0.1 on a free port and stopped by whoever started it:
 * an in-JVM KRaft Kafka broker ({@link io.postfleet.testkit.EmbeddedKafka}, also runnable as a standalone process
 * through {@link io.postfleet.testkit.KafkaServerMain}) and the project's schema registry as a child process
 * ({@link io.postfleet.testkit.SchemaRegistryProcess}, run by scripts through
 * {@link io.postfleet.testkit.SchemaRegistryMain}).
 */
package io.postfleet.testkit;
