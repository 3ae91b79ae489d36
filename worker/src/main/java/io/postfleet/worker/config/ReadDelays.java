package io.postfleet.worker.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * TEST ONLY ({@code --read-delay-file}): slow storage on demand for fault drills. The file holds lines
 * {@code SECTOR_ID DURATION} ({@code 17 5s}); a read of such a sector waits that long first, as a slow disk would,
 * and the wait counts against the sector time-out. The file is read again whenever it changes; no file, or an empty
 * one, means no delay. A line that cannot be read is reported once and ignored.
 */
public final class ReadDelays implements LongFunction<Duration> {

    private static final Logger log = LoggerFactory.getLogger(ReadDelays.class);

    private final Path file;
    private FileTime seen;
    private long seenSize = -1;
    private Map<Long, Duration> delays = Map.of();

    public ReadDelays(Path file) {
        this.file = file;
    }

    @Override
    public synchronized Duration apply(long sectorId) {
        refresh();
        return delays.getOrDefault(sectorId, Duration.ZERO);
    }

    private void refresh() {
        FileTime modified;
        long size;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            modified = attributes.lastModifiedTime();
            size = attributes.size();
        } catch (NoSuchFileException e) {
            delays = Map.of();
            seen = null;
            return;
        } catch (IOException e) {
            return;
        }
        if (modified.equals(seen) && size == seenSize) {
            return;
        }
        Map<Long, Duration> read = new HashMap<>();
        try {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 1 && parts[0].isEmpty()) {
                    continue;
                }
                try {
                    read.put(Long.parseLong(parts[0]), io.postfleet.cli.DurationConverter.parse(parts[1]));
                } catch (RuntimeException bad) {
                    log.warn("--read-delay-file {} line {}: '{}' is not 'SECTOR_ID DURATION'; ignored", file, n,
                            line.strip());
                }
            }
        } catch (IOException e) {
            return;
        }
        delays = Map.copyOf(read);
        seen = modified;
        seenSize = size;
        if (!delays.isEmpty()) {
            log.warn("slow storage drill: reads of sectors {} are delayed", new java.util.TreeMap<>(delays));
        }
    }
}
