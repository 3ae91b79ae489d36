/**
 * {@code post-worker}: the command line ({@link io.postfleet.worker.cli.PostWorkerMain}) and a launcher that runs it
 * as a child JVM ({@link io.postfleet.worker.cli.WorkerProcess}) for tests that must kill a real process.
 */
package io.postfleet.worker.cli;
