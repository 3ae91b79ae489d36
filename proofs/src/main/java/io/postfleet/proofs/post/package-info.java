/**
 * Fallback PoSt (window and winning), vanilla layer: challenge derivation, reading what a partition's proofs need
 * from its sectors' files (in parallel, under time-outs), the single-sector and partition provers with
 * skipped-sector reporting, the strict verifier, the bincode codec of upstream FallbackPoStSectorProof and the proof
 * bundle file, and full-size partitions written sparsely for one randomness (for benchmarks).
 */
package io.postfleet.proofs.post;
