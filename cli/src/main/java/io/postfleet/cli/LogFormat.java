package io.postfleet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per {@code java.util.logging} record on stderr, as the processes' other logs read: an ISO-8601 UTC
 * timestamp, the level, the logger and the message ({@code 2026-12-01T14:06:41.123Z WARN io.postfleet...: text}).
 * The proofs library logs through java.util.logging; each process's {@code main} calls {@link #install()}.
 */
public final class LogFormat extends Formatter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Replaces the root logger's handlers with one stderr handler in this format (INFO and above). */
    public static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler h = new ConsoleHandler();
        h.setFormatter(new LogFormat());
        h.setLevel(Level.INFO);
        root.addHandler(h);
        root.setLevel(Level.INFO);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(128);
        b.append(TIME.format(Instant.ofEpochMilli(r.getMillis()))).append(' ').append(level(r.getLevel())).append(' ')
                .append(r.getLoggerName()).append(": ").append(formatMessage(r)).append(System.lineSeparator());
        if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            b.append(w);
        }
        return b.toString();
    }

    private static String level(Level l) {
        if (l.intValue() >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (l.intValue() >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (l.intValue() >= Level.INFO.intValue()) {
            return "INFO";
        }
        return "DEBUG";
    }
}
