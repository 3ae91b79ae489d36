package io.postfleet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the project's schema registry for scripts and the demo:
 * {@code SchemaRegistryMain [--port N] [--url-file FILE] [--log FILE]}. Prints the URL once
 * {@code /apis/registry/v2/system/info} answers, writes it to the URL file if given (atomically), and stops the
 * registry on SIGTERM or Ctrl-C.
 */
public final class SchemaRegistryMain {

    private SchemaRegistryMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        Path urlFile = null;
        Path logFile = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: registry [--port N] [--url-file FILE] [--log FILE]\n"
                        + "  starts the schema registry (Apicurio Registry " + SchemaRegistryProcess.VERSION
                        + ", in-memory storage) on 127.0.0.1\n"
                        + "  (port 0 or absent: a free port), prints its URL once it answers and runs until SIGTERM"
                        + " or Ctrl-C;\n  the server's output goes to --log (default target/schema-registry/)");
                return;
            }
            if (i + 1 >= args.length) {
                fail("option " + a + " needs a value (see --help)");
            }
            String v = args[++i];
            switch (a) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        fail("--port takes a number 0..65535, got '" + v + "'");
                    }
                    if (port < 0 || port > 65535) {
                        fail("--port takes a number 0..65535, got '" + v + "'");
                    }
                }
                case "--url-file" -> urlFile = Path.of(v);
                case "--log" -> logFile = Path.of(v);
                default -> fail("unknown option '" + a + "' (see --help)");
            }
        }
        SchemaRegistryProcess.Builder builder = SchemaRegistryProcess.builder().port(port);
        if (logFile != null) {
            builder.logFile(logFile);
        }
        SchemaRegistryProcess registry;
        try {
            registry = builder.start();
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            registry.close();
            stopped.countDown();
        }, "registry-stop"));
        System.out.printf("registry: Apicurio Registry %s ready in %.1f s on %s (pid %d, log %s)%n",
                registry.version(), registry.startupTime().toMillis() / 1000.0, registry.url(), registry.pid(),
                registry.log());
        System.out.println(registry.url());
        System.out.flush();
        if (urlFile != null) {
            Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
            Files.writeString(tmp, registry.url() + "\n");
            Files.move(tmp, urlFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("registry: " + message);
        System.exit(2);
    }
}
