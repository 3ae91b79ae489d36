/**
 * The miner side, {@code post-miner}: {@link io.postfleet.miner.MinerApp} wires the chain source, the proving book,
 * dispatch to the fleet, result verification, the lag monitor and local fallback, and the operator API; the
 * subpackages hold each of those.
 */
package io.postfleet.miner;
