package io.postfleet.proofs.sector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackWithPathsRelativeToItsDirectory() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        Manifest.Entry e = new Manifest.Entry(5, SectorSize.KIB_2, TestSectors.randomNode(r), TestSectors.randomNode(r),
                TestSectors.randomNode(r), false, "sealed/s-t01000-5", "cache/s-t01000-5");
        Manifest.Entry u = new Manifest.Entry(2, SectorSize.KIB_2, TestSectors.randomNode(r), TestSectors.randomNode(r),
                TestSectors.randomNode(r), true, "update/s-t01000-2", "update-cache/s-t01000-2");
        new Manifest(dir, 1000, SectorSize.KIB_2, List.of(e, u)).write();
        Manifest m = Manifest.read(dir);
        assertEquals(1000, m.minerId());
        assertEquals(List.of(2L, 5L), m.sectors().stream().map(Manifest.Entry::id).toList(), "ascending id");
        assertArrayEquals(e.commR(), m.entry(5).commR());
        SectorFiles f = m.files(m.entry(2));
        assertTrue(f.updated());
        assertEquals(dir.toAbsolutePath().resolve("update-cache/s-t01000-2"), f.cacheDir());
    }

    @Test
    void aMissingFieldOrANonCanonicalCommitmentIsNamed() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"miner_id\":1,\"sector_size\":\"2KiB\",\"sectors\":[{\"id\":1}]}");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(dir));
        assertTrue(e.getMessage().contains("comm_c"), e.getMessage());
        String ff = "ff".repeat(32);
        String ok = "00".repeat(32);
        Files.writeString(dir.resolve("manifest.json"), "{\"miner_id\":1,\"sector_size\":\"2KiB\",\"sectors\":[{\"id\":1,"
                + "\"comm_c\":\"" + ok + "\",\"comm_r_last\":\"" + ok + "\",\"comm_r\":\"" + ff + "\",\"sealed\":\"s\",\"cache_dir\":\"c\"}]}");
        IOException e2 = assertThrows(IOException.class, () -> Manifest.read(dir.resolve("manifest.json")));
        assertTrue(e2.getMessage().contains("comm_r of sector 1"), e2.getMessage());
    }

    @Test
    void aManifestThatIsNotJsonIsOneLineNamingTheFileTheLineTheColumnAndWhatWasFound() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\n  \"miner_id\": 1000,\n  \"sector_size\": \"2KiB\",}\n");
        IOException e = assertThrows(IOException.class, () -> Manifest.read(dir));
        assertEquals(dir.resolve("manifest.json") + " line 3, column 25: unexpected character '}': was expecting"
                + " double-quote to start field name", e.getMessage());
        assertNull(e.getCause(), "nothing behind it that a stack trace would print");
    }

    @Test
    void aManifestThatIsNotThereIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Manifest.read(dir));
        assertEquals(dir.resolve("manifest.json") + ": no such file", e.getMessage());
        assertEquals(dir.resolve("manifest.json").toString(), e.getFile());
    }
}
