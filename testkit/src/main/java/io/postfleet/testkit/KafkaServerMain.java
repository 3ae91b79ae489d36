package io.postfleet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EmbeddedKafka} as a standalone broker process for {@code scripts/kafka} and the demo. Standard output
 * carries one line, the bootstrap address, once the broker answers (scripts read it); it is also written to the
 * bootstrap file if given, atomically, so a reader never sees half of it. The broker's log goes to a file
 * ({@link BrokerLog}) whose path is printed once on standard error. SIGTERM or Ctrl-C stops the broker. Without
 * {@code --data-dir} the data directory is temporary and deleted on stop, the default log file in it too.
 */
public final class KafkaServerMain {

    /** The options; {@code scripts/kafka --help} prints what they do from the script's header. */
    static final String SYNOPSIS =
            "scripts/kafka [--port N] [--data-dir DIR] [--bootstrap-file FILE] [--log-file FILE]";

    private static final List<String> VALUE_OPTIONS = List.of("--port", "--data-dir", "--bootstrap-file", "--log-file");

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path dataDir = null;
        Path bootstrapFile = null;
        Path logFile = null;
        if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
            System.out.println("usage: " + SYNOPSIS + "\n  (scripts/kafka --help says what each does)");
            return;
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!VALUE_OPTIONS.contains(a)) {
                fail("unknown option '" + a + "' (see scripts/kafka --help)");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                fail(a + " needs a value (see scripts/kafka --help)");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = ServerMains.port("kafka", v);
                case "--data-dir" -> dataDir = Path.of(v);
                case "--bootstrap-file" -> bootstrapFile = Path.of(v);
                default -> logFile = Path.of(v);
            }
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("kafka-") : dataDir;
        Path log = logFile != null ? logFile : dir.resolve(BrokerLog.DEFAULT_NAME);
        try {
            BrokerLog.writeTo(log);
        } catch (IOException e) {
            if (temporary) {
                EmbeddedKafka.deleteTree(dir);
            }
            fail("cannot write the log file " + log + ": " + e);
        }
        // the one line of start-up on stderr: everything else the broker says is in the file
        System.err.println("kafka: logging to " + log + (temporary && logFile == null
                ? " (in a temporary data directory, deleted on stop; give --log-file FILE to keep it)" : ""));
        Logger logger = LoggerFactory.getLogger(KafkaServerMain.class);

        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.builder().port(port).logDir(dir).start();
        } catch (RuntimeException e) {
            logger.error("the broker did not start", e);
            if (temporary && logFile != null) {
                EmbeddedKafka.deleteTree(dir); // nothing in it to read; a log in it is kept for reading
            }
            ServerMains.fail("kafka", "the broker did not start: " + causes(e) + " (its log: " + log + ")", 1);
            return;
        }
        CountDownLatch stopped = ServerMains.closeOnShutdown(() -> {
            kafka.close();
            if (temporary) {
                EmbeddedKafka.deleteTree(dir);
            }
        }, "kafka");
        logger.info("ready on {}, data directory {}{}", kafka.bootstrapServers(), dir,
                temporary ? " (temporary, deleted on stop)" : "");
        logger.info("fleet settings: {}", EmbeddedKafka.FLEET_SETTINGS.entrySet().stream()
                .filter(e -> e.getKey().startsWith("group.") || e.getKey().equals("message.max.bytes"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        ServerMains.announce(kafka.bootstrapServers(), bootstrapFile);
        stopped.await();
    }

    /** The messages of {@code e} and its causes, each once: Kafka's outer ones rarely say what went wrong. */
    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            if (b.indexOf(m) < 0) {
                b.append(b.isEmpty() ? "" : ": ").append(m);
            }
        }
        return b.toString();
    }

    private static void fail(String message) {
        ServerMains.fail("kafka", message);
    }
}
