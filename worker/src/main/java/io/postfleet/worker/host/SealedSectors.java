package io.postfleet.worker.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;

/**
 * The sealed sectors under some storage paths, as far as the requirements need them: how many replicas
 * ({@code sealed/s-t0<miner>-<n>} and {@code update/s-t0<miner>-<n>}, Lotus's layout) and the largest sector size
 * among them, read from each replica's length. A replica whose length is no sector size (a truncated copy) is counted
 * apart; the prover skips it with its reason.
 *
 * @param replicas  replicas found
 * @param largest   the largest sector size among them; empty when none has a sector size's length
 * @param oddLength replicas whose length is no sector size
 */
public record SealedSectors(int replicas, Optional<SectorSize> largest, int oddLength) {

    /** Looks in {@code sealed/} and {@code update/} of each path; a directory that cannot be read holds nothing. */
    public static SealedSectors scan(List<Path> roots) {
        int replicas = 0;
        int odd = 0;
        SectorSize largest = null;
        for (Path root : roots) {
            for (String dir : List.of(StoragePaths.SEALED, StoragePaths.UPDATE)) {
                Path d = root.resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(d, "s-t0*-*")) {
                    for (Path p : entries) {
                        if (!Files.isRegularFile(p)) {
                            continue;
                        }
                        replicas++;
                        Optional<SectorSize> size = sizeOf(Files.size(p));
                        if (size.isEmpty()) {
                            odd++;
                        } else if (largest == null || size.get().bytes() > largest.bytes()) {
                            largest = size.get();
                        }
                    }
                } catch (IOException e) {
                    // the storage check has already said what is wrong with a path it could not read
                }
            }
        }
        return new SealedSectors(replicas, Optional.ofNullable(largest), odd);
    }

    private static Optional<SectorSize> sizeOf(long bytes) {
        try {
            return Optional.of(SectorSize.ofBytes(bytes));
        } catch (IllegalArgumentException noSuchSize) {
            return Optional.empty();
        }
    }
}
