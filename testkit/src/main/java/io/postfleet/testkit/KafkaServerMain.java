package io.postfleet.testkit;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link EmbeddedKafka} as a standalone broker process for scripts and the demo:
 * {@code KafkaServerMain [--port N] [--data-dir DIR] [--bootstrap-file FILE]}. Prints the bootstrap address once
 * the broker answers, writes it to the bootstrap file if given (atomically, so a reader never sees half of it), and
 * stops the broker on SIGTERM or Ctrl-C. Without {@code --data-dir} the log directory is temporary.
 */
public final class KafkaServerMain {

    private KafkaServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path dataDir = null;
        Path bootstrapFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: kafka [--port N] [--data-dir DIR] [--bootstrap-file FILE]\n"
                        + "  starts a single-node KRaft broker on 127.0.0.1 (port 0 or absent: a free port),\n"
                        + "  prints its bootstrap address and runs until SIGTERM or Ctrl-C");
                return;
            }
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = ServerMains.port("kafka", v);
                case "--data-dir" -> dataDir = Path.of(v);
                case "--bootstrap-file" -> bootstrapFile = Path.of(v);
                default -> fail("unknown option '" + a + "' (see --help)");
            }
        }
        EmbeddedKafka.Builder builder = EmbeddedKafka.builder().port(port);
        if (dataDir != null) {
            builder.logDir(dataDir);
        }
        EmbeddedKafka kafka = builder.start();
        CountDownLatch stopped = ServerMains.closeOnShutdown(kafka, "kafka");
        System.out.println("kafka: ready on " + kafka.bootstrapServers() + " (log dir " + kafka.logDir() + ")");
        EmbeddedKafka.FLEET_SETTINGS.entrySet().stream()
                .filter(e -> e.getKey().startsWith("group.") || e.getKey().equals("message.max.bytes"))
                .forEach(e -> System.out.println("kafka:   " + e.getKey() + "=" + e.getValue()));
        ServerMains.announce(kafka.bootstrapServers(), bootstrapFile);
        stopped.await();
    }

    private static void fail(String message) {
        ServerMains.fail("kafka", message);
    }
}
