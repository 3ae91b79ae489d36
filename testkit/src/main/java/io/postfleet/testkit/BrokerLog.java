package io.postfleet.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.TimeZone;

/**
 * The standalone broker's log file ({@link KafkaServerMain}): Kafka's records and the program's own, through
 * slf4j-simple, one line a record as the other processes write theirs: an ISO-8601 UTC timestamp, the thread, the
 * level, the logger and the message ({@code 2026-12-01T14:06:41.123Z [main] INFO kafka.server.KafkaRaftServer -
 * ...}). Kafka's records from INFO up are kept. A JVM that embeds the broker ({@link EmbeddedKafka} in tests) does not
 * call this and keeps its own logging. Levels and format given with {@code -Dorg.slf4j.simpleLogger.*} win; the file
 * is always the one given here.
 */
final class BrokerLog {

    /** The log's name in the data directory when no file is given. */
    static final String DEFAULT_NAME = "broker.log";

    private BrokerLog() {
    }

    /**
     * Sends every SLF4J record of this process to {@code file}, written afresh; a log there from the previous start is
     * kept as {@code FILE.1}. Call it before any logger exists (slf4j-simple reads its settings once).
     *
     * @throws IOException when the file cannot be written, naming it: slf4j-simple would fall back to stderr silently
     */
    static void writeTo(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        if (Files.isRegularFile(file)) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        try (OutputStream probe = Files.newOutputStream(file)) {
            // opened and closed here so that a path that cannot be written is refused with its reason
        }
        // the simple logger formats dates in the default time zone; the processes keep time in UTC
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        setIfUnset("org.slf4j.simpleLogger.showDateTime", "true");
        setIfUnset("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        setIfUnset("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }

    private static void setIfUnset(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
