package io.postfleet.proofs.sector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoragePathsTest {

    @TempDir
    Path dir;

    @Test
    void findsSealedAndCacheUnderAnyRootInTheLotusLayout() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createDirectories(a.resolve("sealed"));
        Files.write(a.resolve("sealed/s-t01000-7"), new byte[0]);
        Files.createDirectories(b.resolve("cache/s-t01000-7"));
        SectorFiles f = new StoragePaths(List.of(a, b)).locate(1000, 7).orElseThrow();
        assertEquals(a.resolve("sealed/s-t01000-7"), f.sealed());
        assertEquals(b.resolve("cache/s-t01000-7"), f.cacheDir());
        assertFalse(f.updated());
        assertEquals(b.resolve("cache/s-t01000-7/p_aux"), f.pAux());
    }

    @Test
    void anUpgradedReplicaWinsOverTheOriginal() throws Exception {
        Files.createDirectories(dir.resolve("sealed"));
        Files.write(dir.resolve("sealed/s-t01000-3"), new byte[0]);
        Files.createDirectories(dir.resolve("cache/s-t01000-3"));
        Files.createDirectories(dir.resolve("update"));
        Files.write(dir.resolve("update/s-t01000-3"), new byte[0]);
        Files.createDirectories(dir.resolve("update-cache/s-t01000-3"));
        SectorFiles f = new StoragePaths(List.of(dir)).locate(1000, 3).orElseThrow();
        assertTrue(f.updated());
        assertEquals(dir.resolve("update/s-t01000-3"), f.sealed());
        assertEquals(dir.resolve("update-cache/s-t01000-3"), f.cacheDir());
    }

    @Test
    void eitherFormOfAnUpgradedSectorIsFoundWhenAskedFor() throws Exception {
        Files.createDirectories(dir.resolve("sealed"));
        Files.write(dir.resolve("sealed/s-t01000-4"), new byte[0]);
        Files.createDirectories(dir.resolve("cache/s-t01000-4"));
        Files.createDirectories(dir.resolve("update"));
        Files.write(dir.resolve("update/s-t01000-4"), new byte[0]);
        StoragePaths paths = new StoragePaths(List.of(dir));
        SectorFiles original = paths.locate(1000, 4, false).orElseThrow();
        assertFalse(original.updated());
        assertEquals(dir.resolve("sealed/s-t01000-4"), original.sealed());
        assertEquals(dir.resolve("cache/s-t01000-4"), original.cacheDir());
        SectorFiles upgraded = paths.locate(1000, 4, true).orElseThrow();
        assertTrue(upgraded.updated());
        assertEquals(dir.resolve("update-cache/s-t01000-4"), upgraded.cacheDir(), "missing, named under the replica's root");
        assertTrue(paths.locate(1000, 5, true).isEmpty());
    }

    @Test
    void aMissingReplicaIsNotFoundAndAMissingCacheIsNamed() throws Exception {
        StoragePaths paths = new StoragePaths(List.of(dir));
        assertTrue(paths.locate(1000, 1).isEmpty());
        Files.createDirectories(dir.resolve("sealed"));
        Files.write(dir.resolve("sealed/s-t01000-1"), new byte[0]);
        assertEquals(dir.resolve("cache/s-t01000-1"), paths.locate(1000, 1).orElseThrow().cacheDir());
        assertTrue(paths.locate(1001, 1).isEmpty());
    }
}
