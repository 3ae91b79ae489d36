package io.postfleet.testkit;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the project's schema registry for scripts and the demo:
 * {@code SchemaRegistryMain [--port N] [--data-dir DIR] [--url-file FILE] [--log FILE]}. Prints the URL once
 * {@code /apis/registry/v2/system/info} answers, writes it to the URL file if given (atomically), and stops the
 * registry on SIGTERM or Ctrl-C. The schemas are kept in {@code DIR}: a registry started again on it answers the same
 * ids; without {@code --data-dir} a new directory under {@code target/schema-registry/} is used.
 */
public final class SchemaRegistryMain {

    private SchemaRegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path urlFile = null;
        Path logFile = null;
        Path dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: registry [--port N] [--data-dir DIR] [--url-file FILE] [--log FILE]\n"
                        + "  starts the schema registry (Apicurio Registry " + SchemaRegistryProcess.VERSION
                        + ") on 127.0.0.1\n"
                        + "  (port 0 or absent: a free port), prints its URL once it answers and runs until SIGTERM"
                        + " or Ctrl-C;\n  schemas and their ids are kept in --data-dir (an H2 database file) and are"
                        + " the same after a restart on it\n  (absent: a new directory under target/schema-registry/);"
                        + "\n  the server's output goes to --log (default target/schema-registry/)");
                return;
            }
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> port = ServerMains.port("registry", v);
                case "--url-file" -> urlFile = Path.of(v);
                case "--log" -> logFile = Path.of(v);
                case "--data-dir" -> dataDir = Path.of(v);
                default -> fail("unknown option '" + a + "' (see --help)");
            }
        }
        SchemaRegistryProcess registry;
        try {
            SchemaRegistryProcess.Builder builder = SchemaRegistryProcess.builder().port(port).dataDir(dataDir);
            if (logFile != null) {
                builder.logFile(logFile);
            }
            registry = builder.start();
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            fail(e.getMessage());
            return;
        }
        CountDownLatch stopped = ServerMains.closeOnShutdown(registry, "registry");
        System.out.printf("registry: Apicurio Registry %s ready in %.1f s on %s (pid %d, data %s, log %s)%n",
                registry.version(), registry.startupTime().toMillis() / 1000.0, registry.url(), registry.pid(),
                registry.dataDir(), registry.log());
        ServerMains.announce(registry.url(), urlFile);
        stopped.await();
    }

    private static void fail(String message) {
        ServerMains.fail("registry", message);
    }
}
