/**
 * Fallback PoSt (window and winning), vanilla layer: challenge derivation, the single-sector and partition provers
 * with skipped-sector reporting, the strict verifier, the bincode codec of upstream FallbackPoStSectorProof and the
 * proof bundle file.
 */
package io.postfleet.proofs.post;
