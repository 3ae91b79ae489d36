/**
 * Results coming back: reassembled from chunks with their digest checked, verified against the miner's own records
 * and the challenges it derives itself, accepted once per task, or refused and proven again.
 */
package io.postfleet.miner.gather;
