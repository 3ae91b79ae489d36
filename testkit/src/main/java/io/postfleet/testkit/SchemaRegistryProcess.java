package io.postfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's schema registry (Apicurio Registry 2.4.2.Final, built by the {@code registry} module) as a child
 * process on 127.0.0.1. {@link #start()} picks a free port, waits until {@code /apis/registry/v2/system/info} answers
 * and returns; {@link #close()} stops it, and so does a shutdown hook and the registry itself when this JVM dies
 * without running hooks. The server's output goes to a log file under {@code target/schema-registry/}.
 *
 * <p>The registry keeps its schemas in an H2 database file in its {@linkplain Builder#dataDir data directory}: a
 * registry started again on the same directory answers the same ids for the same schemas. Only one registry at a
 * time can use a directory.
 *
 * <p>Tests share one per JVM through {@link #shared()} (about 3 s to start, about 200 MB).
 */
public final class SchemaRegistryProcess implements AutoCloseable {

    /** The registry version the project builds; {@link #start()} refuses to hand out any other. */
    public static final String VERSION = "2.4.2.Final";

    /** A directory holding {@code quarkus-run.jar}: overrides where the built registry is looked for. */
    public static final String HOME_PROPERTY = "postfleet.registry.home";
    public static final String HOME_ENV = "POSTFLEET_REGISTRY_HOME";

    private static final String RELATIVE_HOME = "registry/target/quarkus-app";
    private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern VERSION_FIELD = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
    private static final int LOG_TAIL_LINES = 40;
    /** What H2 says when the database file is locked by another process. */
    private static final String DATA_IN_USE = "Database may be already in use";

    private static final Object SHARED_LOCK = new Object();
    private static SchemaRegistryProcess shared;

    private final Process process;
    private final Path log;
    private final Path dataDir;
    private final int port;
    private final String version;
    private final Duration startupTime;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private SchemaRegistryProcess(Process process, Path log, Path dataDir, int port, String version,
                                  Duration startupTime) {
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
        this.port = port;
        this.version = version;
        this.startupTime = startupTime;
        this.shutdownHook = new Thread(this::stop, "schema-registry-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a registry on a free 127.0.0.1 port and waits until it answers. */
    public static SchemaRegistryProcess start() {
        return builder().start();
    }

    /**
     * One registry for the whole JVM, started on first use and stopped when the JVM exits; callers must not close
     * it. Tests keep their schemas apart by topic names of their own.
     */
    public static SchemaRegistryProcess shared() {
        synchronized (SHARED_LOCK) {
            if (shared == null || !shared.process.isAlive()) {
                shared = builder().logFile(defaultLogDir().resolve("registry-shared-" + ProcessHandle.current().pid()
                        + ".log")).start();
            }
            return shared;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server root, e.g. {@code http://127.0.0.1:41234}; the serdes take it as it is. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The version {@code /system/info} reported at start-up. */
    public String version() {
        return version;
    }

    /** From launching the process to the first answer of {@code /system/info}. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The file the server's output goes to. */
    public Path log() {
        return log;
    }

    /** The directory holding the registry's database ({@code registry.mv.db}). */
    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). The shared instance is stopped at JVM exit instead. */
    @Override
    public void close() {
        if (this == shared) {
            return;
        }
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs stop() too, which is harmless twice
        }
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess(process);
    }

    private static void stopProcess(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "schema registry " + version + " at " + url() + " (pid " + process.pid() + ", data " + dataDir + ", log "
                + log + ")";
    }

    /**
     * Where the built registry is: {@code -Dpostfleet.registry.home}, else {@code $POSTFLEET_REGISTRY_HOME}, else
     * {@code registry/target/quarkus-app} in the working directory or the nearest parent that has one.
     */
    public static Path locate() {
        String given = System.getProperty(HOME_PROPERTY);
        String source = "-D" + HOME_PROPERTY;
        if (given == null || given.isBlank()) {
            given = System.getenv(HOME_ENV);
            source = "$" + HOME_ENV;
        }
        if (given != null && !given.isBlank()) {
            Path home = Path.of(given).toAbsolutePath();
            if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
                throw new IllegalStateException(source + " is " + home + ", which has no quarkus-run.jar: point it at "
                        + "the registry module's target/quarkus-app, or unset it to use the project's build");
            }
            return home;
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path home = dir.resolve(RELATIVE_HOME);
            if (Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
                return home;
            }
            if (Files.isRegularFile(dir.resolve("registry/pom.xml"))) {
                throw new IllegalStateException("the schema registry is not built: no " + home.resolve("quarkus-run.jar")
                        + ". Run 'mvn -B -DskipTests install' (or 'mvn -B -pl registry package') in " + dir);
            }
        }
        throw new IllegalStateException("no built schema registry found from " + start + " upwards (looked for "
                + RELATIVE_HOME + "/quarkus-run.jar): run the tests from the project, or set -D" + HOME_PROPERTY);
    }

    static Path defaultLogDir() {
        return Path.of("target", "schema-registry").toAbsolutePath();
    }

    /** Start-up options; every one has a default. */
    public static final class Builder {

        private int port;
        private Path home;
        private Path logFile;
        private Path dataDir;
        private Duration startTimeout = Duration.ofSeconds(90);
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));

        private Builder() {
        }

        /** 0 (the default): a free port, chosen by the server itself, so no other process can take it first. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("registry port must be 0..65535 (0: a free one), got " + port);
            }
            this.port = port;
            return this;
        }

        /** The directory holding {@code quarkus-run.jar}; default {@link #locate()}. */
        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        /** Where the server's output goes; default {@code target/schema-registry/registry-<time>.log}. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /**
         * Where the registry keeps its database; created if absent. A registry started again on the same directory
         * has every schema, id and rule the last one had. Default: a new directory under
         * {@code target/schema-registry/}, used by this registry only.
         */
        public Builder dataDir(Path dataDir) {
            // the path goes into an H2 JDBC URL, where ';' starts a setting
            if (dataDir != null && dataDir.toString().contains(";")) {
                throw new IllegalArgumentException("registry data directory " + dataDir + " contains ';', which the "
                        + "database URL cannot hold: choose another directory");
            }
            this.dataDir = dataDir;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /** An extra JVM option for the server, e.g. {@code -Xmx512m}. */
        public Builder jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        public SchemaRegistryProcess start() {
            Path dir = home != null ? home.toAbsolutePath() : locate();
            Path jar = dir.resolve("quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("no " + jar + ": build the registry module ('mvn -B -pl registry package')");
            }
            Path logPath = (logFile != null ? logFile : defaultLogDir().resolve("registry-" + System.currentTimeMillis()
                    + "-" + System.nanoTime() % 100000 + ".log")).toAbsolutePath();
            try {
                Files.createDirectories(logPath.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the registry log directory " + logPath.getParent(), e);
            }
            Path data;
            try {
                data = dataDir != null ? Files.createDirectories(dataDir.toAbsolutePath())
                        : Files.createTempDirectory(logPath.getParent(), "registry-data-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the registry data directory "
                        + (dataDir != null ? dataDir.toAbsolutePath() : logPath.getParent()), e);
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-Dquarkus.http.host=127.0.0.1");
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dpostfleet.registry.data-dir=" + data);
            // the server stops by itself if this JVM dies without running its shutdown hooks
            command.add("-Dpostfleet.registry.parent-pid=" + ProcessHandle.current().pid());
            // Narayana's default process id binds a listening socket just to learn a unique number: use a UUID
            command.add("-DCoreEnvironmentBean.processImplementationClassName="
                    + "com.arjuna.ats.internal.arjuna.utils.UuidProcessId");
            // its transaction log directory goes next to the log, not into the caller's working directory
            command.add("-Dquarkus.transaction-manager.object-store-directory="
                    + logPath.getParent().resolve("transaction-store"));
            command.add("-jar");
            command.add(jar.toString());

            long t0 = System.nanoTime();
            Process p;
            try {
                p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(logPath.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot launch the schema registry (" + String.join(" ", command) + ")", e);
            }
            try {
                int actualPort = awaitPort(p, logPath, data, t0);
                String version = awaitInfo(p, logPath, data, actualPort, t0);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                if (!VERSION.equals(version)) {
                    throw new IllegalStateException("the registry at " + dir + " reports version " + version
                            + ", the project builds " + VERSION + ": rebuild it ('mvn -B -pl registry package')");
                }
                return new SchemaRegistryProcess(p, logPath, data, actualPort, version, took);
            } catch (RuntimeException e) {
                stopProcess(p);
                throw e;
            }
        }

        private int awaitPort(Process p, Path logPath, Path data, long t0) {
            if (port != 0) {
                return port;
            }
            while (true) {
                Matcher m = LISTENING.matcher(readLog(logPath));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                checkRunning(p, logPath, data, t0, "before it opened its port");
                pause();
            }
        }

        private String awaitInfo(Process p, Path logPath, Path data, int actualPort, long t0) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI info = URI.create("http://127.0.0.1:" + actualPort + "/apis/registry/v2/system/info");
            String last = "no answer yet";
            while (true) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(info).timeout(Duration.ofSeconds(5))
                            .GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        Matcher m = VERSION_FIELD.matcher(r.body());
                        if (m.find()) {
                            return m.group(1);
                        }
                        last = "an answer without a version: " + r.body();
                    } else {
                        last = "HTTP " + r.statusCode();
                    }
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the schema registry", e);
                }
                checkRunning(p, logPath, data, t0, "before " + info + " answered (last: " + last + ")");
                pause();
            }
        }

        private void checkRunning(Process p, Path logPath, Path data, long t0, String when) {
            if (!p.isAlive()) {
                String inUse = readLog(logPath).contains(DATA_IN_USE)
                        ? ": another registry is using its data directory " + data + "; stop that one or give another"
                        : "";
                throw new IllegalStateException("the schema registry exited with status " + p.exitValue() + " " + when
                        + inUse + ". Last lines of " + logPath + ":\n" + tail(logPath));
            }
            if (System.nanoTime() - t0 > startTimeout.toNanos()) {
                throw new IllegalStateException("the schema registry did not start within " + startTimeout.toSeconds()
                        + " s (" + when + "); it was stopped. Last lines of " + logPath + ":\n" + tail(logPath));
            }
        }

        private static void pause() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the schema registry", e);
            }
        }
    }

    private static String readLog(Path logPath) {
        try {
            return Files.exists(logPath) ? Files.readString(logPath, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(Path logPath) {
        List<String> lines = readLog(logPath).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    }
}
