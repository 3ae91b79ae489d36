/**
 * JMH benchmarks of the CPU hot path: Fr multiplication and Poseidon hashes per second. Run with
 * {@code scripts/bench-jmh}; each benchmark checks its output against a known answer in its setup, so a fast wrong
 * result cannot be reported.
 */
package io.postfleet.proofs.bench;
