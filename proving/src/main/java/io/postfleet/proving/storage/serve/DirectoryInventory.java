package io.postfleet.proving.storage.serve;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.postfleet.proofs.sector.StoragePaths;

/**
 * The sectors of some storage paths, read from their directories: every replica named {@code s-t0<miner>-<number>}
 * in {@code sealed/} or {@code update/} counts as held (the cache is looked for only when a proof is asked for).
 */
public final class DirectoryInventory implements SectorInventory {

    private static final Pattern NAME = Pattern.compile("s-t0(\\d{1,19})-(\\d{1,19})");

    private final StoragePaths paths;

    public DirectoryInventory(StoragePaths paths) {
        this.paths = paths;
    }

    @Override
    public List<SectorRange> held() {
        TreeMap<Long, TreeSet<Long>> byMiner = new TreeMap<>();
        for (Path root : paths.roots()) {
            for (String dir : List.of(StoragePaths.SEALED, StoragePaths.UPDATE)) {
                scan(root.resolve(dir), (miner, number) -> byMiner.computeIfAbsent(miner, m -> new TreeSet<>())
                        .add(number));
            }
        }
        List<SectorRange> ranges = new ArrayList<>();
        byMiner.forEach((miner, numbers) -> {
            long first = -1;
            long last = -1;
            for (long n : numbers) {
                if (first >= 0 && n == last + 1) {
                    last = n;
                    continue;
                }
                if (first >= 0) {
                    ranges.add(new SectorRange(miner, first, last));
                }
                first = n;
                last = n;
            }
            if (first >= 0) {
                ranges.add(new SectorRange(miner, first, last));
            }
        });
        return ranges;
    }

    @Override
    public List<StoragePathStat> paths() {
        List<StoragePathStat> out = new ArrayList<>();
        for (Path root : paths.roots()) {
            long[] n = {0};
            for (String dir : List.of(StoragePaths.SEALED, StoragePaths.UPDATE)) {
                scan(root.resolve(dir), (miner, number) -> n[0]++);
            }
            long available = -1;
            long capacity = -1;
            try {
                FileStore store = Files.getFileStore(root);
                available = store.getUsableSpace();
                capacity = store.getTotalSpace();
            } catch (IOException e) {
                // a path that vanished reports -1: the sector count says the rest
            }
            out.add(new StoragePathStat(root.toString(), n[0], available, capacity));
        }
        return out;
    }

    private interface Found {
        void sector(long miner, long number);
    }

    private static void scan(Path dir, Found found) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "s-t0*-*")) {
            for (Path p : entries) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    try {
                        found.sector(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                    } catch (NumberFormatException tooLarge) {
                        // not a sector name Lotus would write
                    }
                }
            }
        } catch (IOException e) {
            // an unreadable directory holds nothing this node can serve
        }
    }
}
