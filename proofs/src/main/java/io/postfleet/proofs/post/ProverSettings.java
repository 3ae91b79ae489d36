package io.postfleet.proofs.post;

import java.time.Duration;

/**
 * How a partition prover reads sectors, with Lotus's ProvingConfig knobs and defaults.
 *
 * @param parallelReads     sectors read at once (Lotus ParallelCheckLimit, default 32)
 * @param sectorTimeout     longest a single sector's reads may take before it is skipped (Lotus SingleCheckTimeout,
 *                          default 10 minutes)
 * @param partitionTimeout  longest the reads of a whole partition may take; sectors not read by then are skipped
 *                          (Lotus PartitionCheckTimeout, default 20 minutes)
 * @param threads           CPU threads for hashing (default: all available processors)
 */
public record ProverSettings(int parallelReads, Duration sectorTimeout, Duration partitionTimeout, int threads) {

    public static final int DEFAULT_PARALLEL_READS = 32;
    public static final Duration DEFAULT_SECTOR_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_PARTITION_TIMEOUT = Duration.ofMinutes(20);

    public ProverSettings {
        if (parallelReads < 1) {
            throw new IllegalArgumentException("parallel reads must be at least 1, got " + parallelReads);
        }
        if (sectorTimeout.isNegative() || sectorTimeout.isZero()) {
            throw new IllegalArgumentException("sector time-out must be positive, got " + sectorTimeout);
        }
        if (partitionTimeout.isNegative() || partitionTimeout.isZero()) {
            throw new IllegalArgumentException("partition time-out must be positive, got " + partitionTimeout);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    public ProverSettings(int parallelReads, Duration sectorTimeout, Duration partitionTimeout) {
        this(parallelReads, sectorTimeout, partitionTimeout, Runtime.getRuntime().availableProcessors());
    }

    public static ProverSettings defaults() {
        return new ProverSettings(DEFAULT_PARALLEL_READS, DEFAULT_SECTOR_TIMEOUT, DEFAULT_PARTITION_TIMEOUT);
    }

    public ProverSettings withSectorTimeout(Duration timeout) {
        return new ProverSettings(parallelReads, timeout, partitionTimeout, threads);
    }

    public ProverSettings withThreads(int n) {
        return new ProverSettings(parallelReads, sectorTimeout, partitionTimeout, n);
    }
}
