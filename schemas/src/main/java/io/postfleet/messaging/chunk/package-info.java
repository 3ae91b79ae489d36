/**
 * Proofs bigger than one Kafka record: {@link io.postfleet.messaging.chunk.ProofChunker} splits a proof bundle over
 * several PostResult records (chunkIndex/chunkCount, the whole bundle's SHA-256 on each), and
 * {@link io.postfleet.messaging.chunk.ProofAssembler} puts them back together in any arrival order, ignoring exact
 * duplicates and refusing conflicting chunks or a bundle whose hash does not match.
 */
package io.postfleet.messaging.chunk;
