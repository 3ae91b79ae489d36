package io.postfleet.worker.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReadDelaysTest {

    @Test
    void delaysFollowTheFileAsItChanges(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("delays");
        ReadDelays delays = new ReadDelays(file);
        assertEquals(Duration.ZERO, delays.apply(3), "no file: no delay");

        Files.writeString(file, "3 5s\n\nnot a line\n7 250ms\n");
        assertEquals(Duration.ofSeconds(5), delays.apply(3));
        assertEquals(Duration.ofMillis(250), delays.apply(7));
        assertEquals(Duration.ZERO, delays.apply(4), "a sector not listed is read at once");

        Files.writeString(file, "7 1s\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(Duration.ZERO, delays.apply(3), "sector 3 is fast again");
        assertEquals(Duration.ofSeconds(1), delays.apply(7));

        Files.delete(file);
        assertEquals(Duration.ZERO, delays.apply(7), "the file gone: no delay");
    }
}
