package io.postfleet.miner.chain;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The embedded devnet's knobs.
 *
 * @param epoch                 wall-clock length of an epoch: 30 s like mainnet, about 1 s for the demo, 100 ms in tests
 * @param genesis               when epoch 0 starts
 * @param minerId               the miner actor id
 * @param partitionSectors      sectors per window partition (the proof type's WINDOW_POST_SECTOR_COUNT)
 * @param partitionsPerDeadline how many partitions the devnet fills into a deadline before moving to the next one
 * @param firstChallengeEpoch   the epoch at which deadline 0 of the first proving period is challenged
 * @param winProbability        chance per epoch that this miner wins the election (0 disables winningPoSt)
 * @param chainLog              file the devnet appends submitted proofs to, one JSON line each; null for none
 */
public record DevnetSettings(Duration epoch, Instant genesis, long minerId, int partitionSectors,
                             int partitionsPerDeadline, long firstChallengeEpoch, double winProbability, Path chainLog) {
    public DevnetSettings {
        if (epoch.toMillis() < 50) {
            throw new IllegalArgumentException("devnet epoch " + epoch.toMillis() + " ms is below 50 ms: use --epoch 100ms or more");
        }
        if (partitionSectors < 1 || partitionsPerDeadline < 1) {
            throw new IllegalArgumentException("partition sizes must be positive");
        }
        if (winProbability < 0 || winProbability > 1) {
            throw new IllegalArgumentException("win probability " + winProbability + " is outside 0..1");
        }
        if (firstChallengeEpoch < 0) {
            throw new IllegalArgumentException("first challenge epoch must not be negative");
        }
    }
}
