package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone broker of {@code scripts/kafka} in a process of its own, as the script runs it: its standard output
 * is the bootstrap address alone, its standard error one line naming the log file, and the log file holds Kafka's own
 * records, each with a UTC timestamp, the thread, the level and the logger.
 */
class KafkaServerMainTest {

    /** {@code 2026-12-01T14:06:41.123Z [main] INFO kafka.server.KafkaRaftServer - message}. */
    private static final Pattern RECORD = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z) \\[[^]]+] (TRACE|DEBUG|INFO|WARN|ERROR) ([\\w.$]+) - (.*)");
    /** The one warning Kafka logs at every start: the controller's activation, logged at WARN whatever happens. */
    private static final String ACTIVATION = "Performing controller activation.";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    record Run(int exit, String out, String err) {
    }

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBrokerLogsKafkasRecordsToAFileInItsDataDirAndPrintsOnlyItsAddress() throws Exception {
        Path data = dir.resolve("data");
        Path bootstrap = dir.resolve("bootstrap");
        Instant before = Instant.now();
        Process p = start("first", "--data-dir", data.toString(), "--bootstrap-file", bootstrap.toString());
        String address = awaitAddress(p, bootstrap, "first");
        assertTrue(address.matches("127\\.0\\.0\\.1:\\d+"), address);

        assertEquals(address + System.lineSeparator(), out("first"), "standard output: the bootstrap address alone");
        Path log = data.resolve("broker.log");
        assertEquals("kafka: logging to " + log + System.lineSeparator(), err("first"));

        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<Matcher> records = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RECORD.matcher(line);
            if (m.matches()) {
                records.add(m);
            } else {
                // Kafka's configuration dumps continue a record over tab-indented lines and end with a blank one
                assertTrue(line.isEmpty() || line.startsWith("\t"), "neither a record nor its continuation: " + line);
            }
        }
        assertTrue(RECORD.matcher(lines.get(0)).matches(), lines.get(0));
        Instant after = Instant.now();
        for (Matcher m : records) {
            Instant t = Instant.parse(m.group(1));
            assertFalse(t.isBefore(before.minusSeconds(1)) || t.isAfter(after.plusSeconds(1)),
                    "the time of a record is UTC, between the start and now: " + m.group());
        }
        assertTrue(has(records, "INFO", "kafka.server.KafkaRaftServer", "[KafkaRaftServer nodeId=1] Kafka Server started"),
                "Kafka's own start-up records at INFO:\n" + String.join("\n", lines));
        assertTrue(has(records, "INFO", "kafka.server.BrokerServer", "[BrokerServer id=1] Transition from STARTING to STARTED"),
                "the broker's start-up");
        assertTrue(has(records, "INFO", KafkaServerMain.class.getName(), "ready on " + address + ", data directory " + data),
                "the program's own record");
        List<String> warnings = records.stream().filter(m -> m.group(2).equals("WARN") || m.group(2).equals("ERROR"))
                .filter(m -> !m.group(4).contains(ACTIVATION)).map(Matcher::group).toList();
        assertEquals(List.of(), warnings, "no warning at start-up but the controller's activation");

        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the broker");
        assertEquals(address + System.lineSeparator(), out("first"), "nothing more on standard output while stopping");
        assertTrue(Files.readString(log).contains("[BrokerServer id=1] Transition from STARTED to SHUTTING_DOWN"),
                "the stop is logged too");
    }

    @Test
    void withoutADataDirTheDataIsTemporaryAndALogFileGivenIsKeptThePreviousOneAsDotOne() throws Exception {
        Path log = dir.resolve("logs/kafka.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "the previous start\n");
        Path bootstrap = dir.resolve("bootstrap");
        Process p = start("run", "--log-file", log.toString(), "--bootstrap-file", bootstrap.toString());
        String address = awaitAddress(p, bootstrap, "run");
        assertEquals("kafka: logging to " + log + System.lineSeparator(), err("run"));
        assertEquals("the previous start\n", Files.readString(dir.resolve("logs/kafka.log.1")));

        p.destroy();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the broker");
        String text = Files.readString(log);
        Matcher ready = Pattern.compile("ready on " + Pattern.quote(address) + ", data directory (\\S+) \\(temporary")
                .matcher(text);
        assertTrue(ready.find(), text);
        Path data = Path.of(ready.group(1));
        assertFalse(Files.exists(data), "the temporary data directory " + data + " is deleted on stop");
    }

    @Test
    void aBrokerThatCannotStartSaysWhyOnStandardErrorAndInItsLog() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Path log = dir.resolve("broker.log");
            Run r = run("taken", "--port", String.valueOf(taken.getLocalPort()), "--log-file", log.toString());
            assertEquals(1, r.exit(), r.err());
            assertEquals("", r.out());
            List<String> lines = r.err().lines().toList();
            assertEquals(2, lines.size(), r.err());
            assertEquals("kafka: logging to " + log, lines.get(0));
            assertTrue(lines.get(1).startsWith("kafka: the broker did not start: ")
                    && lines.get(1).contains("127.0.0.1:" + taken.getLocalPort() + ": Address already in use")
                    && lines.get(1).endsWith(" (its log: " + log + ")"), lines.get(1));
            assertTrue(Files.readString(log).contains("ERROR " + KafkaServerMain.class.getName()
                    + " - the broker did not start"), "the failure and its stack trace are in the log");
        }
    }

    @Test
    void aBadOptionIsRefusedInOneLineWithExitTwoBeforeAnythingStarts() throws Exception {
        assertEquals(new Run(2, "", "kafka: unknown option '--bogus' (see scripts/kafka --help)\n"),
                run("bogus", "--bogus"));
        assertEquals(new Run(2, "", "kafka: --log-file needs a value (see scripts/kafka --help)\n"),
                run("no-value", "--log-file"));
        assertEquals(new Run(2, "", "kafka: --log-file needs a value (see scripts/kafka --help)\n"),
                run("option-for-value", "--log-file", "--port", "0"));
        assertEquals(new Run(2, "", "kafka: --port takes a number 0..65535, got 'x'\n"),
                run("port", "--port", "x"));
    }

    @Test
    void theProgramsSynopsisIsTheScriptsFirstLine() throws IOException {
        Path script = repository().resolve("scripts/kafka");
        String first = Files.readAllLines(script).get(1);
        assertEquals("# " + KafkaServerMain.SYNOPSIS, first);
        String header = Files.readString(script);
        assertTrue(header.contains("--log-file FILE") && header.contains("default DIR/broker.log"), header);
    }

    /** Starts KafkaServerMain with the runtime classpath the script gives it, its output in files named by {@code name}. */
    private Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        // the options scripts/lib/run-module gives newer JVMs
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-cp");
        command.add(classpath());
        command.add(KafkaServerMain.class.getName());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile()).redirectError(dir.resolve(name + ".err").toFile())
                .start();
        started.add(p);
        return p;
    }

    private Run run(String name, String... args) throws Exception {
        Process p = start(name, args);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "refused at once");
        return new Run(p.exitValue(), out(name), err(name));
    }

    /**
     * This module's test classpath plus slf4j-simple, which the tests' own JVM does without (the broker in a test JVM
     * leaves the test's logging alone) and which Maven names for this test.
     */
    private static String classpath() {
        String cp = System.getProperty("java.class.path");
        String simple = System.getProperty("postfleet.test.slf4j-simple");
        return simple == null || simple.isEmpty() ? cp : cp + File.pathSeparator + simple;
    }

    private String awaitAddress(Process p, Path bootstrap, String name) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(bootstrap)) {
                return Files.readString(bootstrap).trim();
            }
            if (!p.isAlive()) {
                throw new AssertionError("the broker exited with status " + p.exitValue() + ": " + err(name));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no bootstrap address within 90 s; stderr: " + err(name));
    }

    private static boolean has(List<Matcher> records, String level, String logger, String message) {
        return records.stream().anyMatch(m -> m.group(2).equals(level) && m.group(3).equals(logger)
                && m.group(4).startsWith(message));
    }

    private String out(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
    }

    private String err(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".err"), StandardCharsets.UTF_8);
    }

    private static Path repository() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("scripts/kafka"))) {
                return d;
            }
        }
        throw new IllegalStateException("scripts/kafka not found above " + Path.of("").toAbsolutePath());
    }
}
