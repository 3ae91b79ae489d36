package io.postfleet.worker.config;

import io.postfleet.proofs.post.ProverSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker reads its sectors' challenges.
 *
 * @param sectorTimeout  longest one sector's reads may take before the sector is skipped
 * @param readDelayFile  TEST ONLY: the file {@link ReadDelays} reads slow sectors from; null for none
 */
public record SectorReads(Duration sectorTimeout, Path readDelayFile) {

    public SectorReads {
        if (sectorTimeout == null || sectorTimeout.isNegative() || sectorTimeout.isZero()) {
            throw new IllegalArgumentException("the sector time-out must be positive, got " + sectorTimeout);
        }
    }

    public static SectorReads defaults() {
        return new SectorReads(ProverSettings.DEFAULT_SECTOR_TIMEOUT, null);
    }
}
