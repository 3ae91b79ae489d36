package io.postfleet.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.postfleet.proofs.sector.SectorSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sector size the requirements are taken for is read from the replicas' lengths under the storage paths. */
class SealedSectorsTest {

    @TempDir
    Path dir;

    @Test
    void theLargestReplicaAcrossPathsSetsTheSizeAndOddLengthsAreCountedApart() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        replica(a.resolve("sealed/s-t01000-1"), SectorSize.KIB_2.bytes());
        replica(a.resolve("sealed/s-t01000-2"), 1000);
        replica(b.resolve("update/s-t01000-3"), SectorSize.GIB_32.bytes()); // sparse: no 32 GiB written
        replica(b.resolve("sealed/not-a-sector"), SectorSize.GIB_64.bytes());
        Files.createDirectories(b.resolve("cache/s-t01000-3"));
        SealedSectors found = SealedSectors.scan(List.of(a, b));
        assertEquals(new SealedSectors(3, Optional.of(SectorSize.GIB_32), 1), found);
    }

    @Test
    void noReplicaMeansNoSize() throws Exception {
        Files.createDirectories(dir.resolve("empty/sealed"));
        assertEquals(new SealedSectors(0, Optional.empty(), 0),
                SealedSectors.scan(List.of(dir.resolve("empty"), dir.resolve("missing"))));
    }

    private static void replica(Path p, long length) throws Exception {
        Files.createDirectories(p.getParent());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(length);
        }
    }
}
