package io.postfleet.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the chaos run: {@code java -cp <this class path> MAIN ARGS}, output to a log file, restartable with
 * the same arguments, signalled as an operator or a crash would (SIGTERM, SIGKILL, SIGSTOP, SIGCONT).
 */
final class ChildJvm implements AutoCloseable {

    final String name;
    private final String mainClass;
    private final List<String> args;
    private final Path log;
    private Process process;
    private int starts;
    /** Where this start's output begins in the log. */
    private long startOffset;

    ChildJvm(String name, String mainClass, List<String> args, Path log) {
        this.name = name;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.log = log;
    }

    synchronized ChildJvm start() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        starts++;
        Files.createDirectories(log.getParent());
        startOffset = starts == 1 || !Files.exists(log) ? 0 : Files.size(log);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(starts == 1 ? ProcessBuilder.Redirect.to(log.toFile())
                        : ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        return process.pid();
    }

    /** Waits until this start's output holds {@code text}; false when the process ended or time ran out. */
    boolean awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(log)) {
                byte[] all = Files.readAllBytes(log);
                int from = (int) Math.min(all.length, startOffset);
                if (new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8).contains(text)) {
                    return true;
                }
            }
            if (!alive()) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, waiting up to {@code timeout} for a clean stop, then SIGKILL. */
    void terminate(Duration timeout) throws InterruptedException {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p != null) {
            p.destroy();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).redirectErrorStream(true).start();
        kill.getInputStream().readAllBytes();
        kill.waitFor();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            try {
                signal("CONT");
            } catch (IOException ignored) {
                // it is killed next anyway
            }
        }
        kill();
    }
}
