package io.postfleet.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The miner's events file (one JSON object a line), read as it grows. */
final class EventTail {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<JsonNode> events = new ArrayList<>();
    private long offset;
    private final StringBuilder partial = new StringBuilder();

    EventTail(Path file) {
        this.file = file;
    }

    /** Every event so far, oldest first. */
    synchronized List<JsonNode> all() {
        read();
        return List.copyOf(events);
    }

    /** Waits for an event matching {@code what}. */
    JsonNode await(Predicate<JsonNode> what, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < end) {
            List<JsonNode> now = all();
            for (int i = seen; i < now.size(); i++) {
                if (what.test(now.get(i))) {
                    return now.get(i);
                }
            }
            seen = now.size();
            Thread.sleep(100);
        }
        throw new IllegalStateException("no such event within " + timeout.toSeconds() + " s in " + file);
    }

    private void read() {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() <= offset) {
                return;
            }
            f.seek(offset);
            byte[] b = new byte[(int) (f.length() - offset)];
            f.readFully(b);
            offset += b.length;
            partial.append(new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return;
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            String line = partial.substring(0, nl).strip();
            partial.delete(0, nl + 1);
            if (!line.isEmpty()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    // a line being written is read again whole next time; a bad one is skipped
                }
            }
        }
    }
}
