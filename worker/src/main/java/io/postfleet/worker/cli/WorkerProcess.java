package io.postfleet.worker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code post-worker} in a child JVM on this JVM's class path, for tests that must SIGKILL or SIGTERM a real
 * process. Output goes to a log file; {@link #close()} kills the process if it is still running.
 */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java -cp <this class path> io.postfleet.worker.cli.PostWorkerMain ARGS}.
     *
     * @param args e.g. {@code run --windowpost --bootstrap ... --registry ...}
     * @param log  file receiving stdout and stderr
     */
    public static WorkerProcess start(List<String> args, Path log) throws IOException {
        return launch().start(args, log);
    }

    /** A start with more said about the process: a shell line run before the JVM, JVM options, the environment. */
    public static Launch launch() {
        return new Launch();
    }

    /** How a child is started; {@link #start} starts it. */
    public static final class Launch {

        private String shell;
        private final List<String> jvmOptions = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();

        private Launch() {
        }

        /** Runs {@code line} in bash first, which then becomes the JVM ({@code exec}): e.g. {@code ulimit -n 512}. */
        public Launch shell(String line) {
            this.shell = line;
            return this;
        }

        /** A JVM option, e.g. {@code -XX:-MaxFDLimit}. */
        public Launch jvmOption(String option) {
            jvmOptions.add(option);
            return this;
        }

        /** An environment variable of the child, besides this process's own. */
        public Launch env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** Starts the worker command line {@code args}, its stdout and stderr going to {@code log}. */
        public WorkerProcess start(List<String> args, Path log) throws IOException {
            List<String> cmd = new ArrayList<>();
            if (shell != null) {
                // the arguments travel as "$@", never through the shell's parsing
                cmd.addAll(List.of("bash", "-c", shell + " && exec \"$@\"", "bash"));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx256m");
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(PostWorkerMain.class.getName());
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            return new WorkerProcess(pb.start(), log);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook runs, the worker vanishes from the group only when its session times out. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the worker stops gracefully; returns its exit code, or -1 if it did not exit in time. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Waits for the process to exit by itself; returns its exit code, or -1 if it still runs after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Waits until the log contains {@code text}; false on timeout or when the process exits first. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException, IOException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                return Files.exists(log) && Files.readString(log).contains(text);
            }
            Thread.sleep(50);
        }
        return false;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /**
     * What the process printed after its start-up print (the headline, one line per setting, the open-file limit) and
     * the storage warnings: the lines a test of a refusal or a first task looks at.
     *
     * @throws IllegalStateException when the output does not begin with the {@code post-worker} headline
     */
    public List<String> linesAfterTheSettings() throws IOException {
        String output = output();
        List<String> lines = new ArrayList<>(output.lines().toList());
        if (lines.isEmpty() || !lines.get(0).startsWith("post-worker ")) {
            throw new IllegalStateException("the output does not begin with the post-worker headline:\n" + output);
        }
        lines.remove(0);
        lines.removeIf(l -> l.startsWith("  "));
        lines.removeIf(l -> l.startsWith("open files: "));
        lines.removeIf(l -> l.startsWith("warning: --storage"));
        return lines;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
