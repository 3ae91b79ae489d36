/**
 * Where the miner learns about the chain: epochs, proving deadlines, randomness, winning elections and where it
 * "submits" proofs. {@link io.postfleet.miner.chain.ChainSource} is the seam: the embedded devnet stands behind it now,
 * a Lotus node later.
 */
package io.postfleet.miner.chain;
