package io.postfleet.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/** What the standalone server programs ({@link KafkaServerMain}, {@link SchemaRegistryMain}) share. */
final class ServerMains {

    private ServerMains() {
    }

    /** Exits 2, as for a bad option, with {@code "<program>: <message>"} on stderr. */
    static void fail(String program, String message) {
        fail(program, message, 2);
    }

    /** Exits with {@code status} and {@code "<program>: <message>"} on stderr. */
    static void fail(String program, String message, int status) {
        System.err.println(program + ": " + message);
        System.exit(status);
    }

    /** The value of {@code --port}: 0..65535, 0 for a free port; anything else exits 2. */
    static int port(String program, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        fail(program, "--port takes a number 0..65535, got '" + value + "'");
        return -1;
    }

    /** Closes {@code server} on SIGTERM or Ctrl-C; the latch opens once it is closed. */
    static CountDownLatch closeOnShutdown(AutoCloseable server, String program) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println(program + ": stopping failed: " + e);
            } finally {
                stopped.countDown();
            }
        }, program + "-stop"));
        return stopped;
    }

    /**
     * Prints {@code address} as the last line of the start-up output and, if {@code file} is given, writes it there
     * atomically, so a script waiting for the file never reads half of it.
     */
    static void announce(String address, Path file) throws IOException {
        System.out.println(address);
        System.out.flush();
        if (file != null) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, address + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
