package io.postfleet.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.postfleet.messaging.topic.Topics;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.FixedAnswerServer;
import io.postfleet.worker.Fleet;
import io.postfleet.worker.consume.PostWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code post-worker run} as a real process: a wrong broker, registry or storage path is refused before the worker
 * joins anything, with one line naming the setting, the value and what to do, and exit 2; an empty storage path that
 * has the Lotus layout is accepted with a warning; SIGTERM stops the worker within 5 s when the broker is gone.
 */
class WorkerStartupTest {

    /** JVM start and class loading of a child process, on a busy machine. */
    private static final Duration PROCESS_START = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void aBrokerThatDoesNotAnswerIsRefusedWithinTheStatedTime() throws Exception {
        int nothing = EmbeddedKafka.freePort();
        List<String> args = args("127.0.0.1:" + nothing, "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                lotusLayout("valid"));
        Instant start = Instant.now();
        try (WorkerProcess w = WorkerProcess.start(args, dir.resolve("broker.log"))) {
            int exit = w.awaitExit(StartupCheck.WAIT.plus(PROCESS_START));
            Duration took = Duration.between(start, Instant.now());
            assertEquals(2, exit, w.output());
            assertEquals(List.of("--bootstrap 127.0.0.1:" + nothing + ": no Kafka broker answered within 10 s (127.0.0.1:"
                    + nothing + ": Connection refused); check the address and that the broker runs"),
                    linesAfterTheSettings(w.output()));
            assertTrue(took.compareTo(StartupCheck.WAIT) >= 0, "waited the stated time for a broker that is starting: "
                    + took);
        }
    }

    @Test
    void aServerThatAnswersButIsNotARegistryIsRefused() throws Exception {
        Fleet fleet = Fleet.get();
        try (FixedAnswerServer web = FixedAnswerServer.start(200, "text/html", "<html><body>welcome</body></html>");
             WorkerProcess w = WorkerProcess.start(args(fleet.bootstrap(), web.url(), lotusLayout("valid")),
                     dir.resolve("registry.log"))) {
            String url = web.url();
            int exit = w.awaitExit(StartupCheck.WAIT.plus(PROCESS_START));
            assertEquals(2, exit, w.output());
            assertEquals(List.of("--registry " + url + ": not an Apicurio schema registry (GET " + url
                    + "/apis/registry/v2/system/info answered HTTP 200, text/html: <html><body>welcome</body></html>); "
                    + "give the registry's base URL, e.g. http://127.0.0.1:8080"), linesAfterTheSettings(w.output()));
        }
    }

    @Test
    void aStoragePathThatDoesNotExistIsRefusedBeforeAnythingIsContacted() throws Exception {
        Path missing = dir.resolve("no-such-storage");
        List<String> args = args("127.0.0.1:" + EmbeddedKafka.freePort(), "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                missing);
        try (WorkerProcess w = WorkerProcess.start(args, dir.resolve("storage.log"))) {
            int exit = w.awaitExit(PROCESS_START);
            assertEquals(2, exit, w.output());
            assertEquals(List.of("--storage " + missing + ": does not exist; give a Lotus storage path, the directory "
                    + "holding sealed/ and cache/"), linesAfterTheSettings(w.output()));
        }
    }

    @Test
    void anEmptyStoragePathWithTheLotusLayoutIsAcceptedWithAWarning() throws Exception {
        Fleet fleet = Fleet.get();
        Topics topics = fleet.topics("startup-empty");
        Path empty = lotusLayout("empty");
        List<String> args = args(fleet.bootstrap(), fleet.registry(), empty);
        args.addAll(List.of("--topic-prefix", Fleet.prefixOf(topics), "--group", "g-startup-empty",
                "--no-create-topics", "--worker-id", "empty-storage-1"));
        try (WorkerProcess w = WorkerProcess.start(args, dir.resolve("empty.log"))) {
            assertTrue(w.awaitLog("started, consuming", StartupCheck.WAIT.plus(PROCESS_START).multipliedBy(2)),
                    w.output());
            assertTrue(w.output().contains("warning: --storage " + empty + ": holds no sector yet (sealed/ and update/ "
                    + "are empty)"), w.output());
            assertTrue(fleet.heartbeat(topics, Duration.ofSeconds(30), s -> s.getWorkerId().equals("empty-storage-1"))
                    .isPresent(), "the worker runs and reports");
            int exit = w.terminate(Duration.ofSeconds(20));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + w.output());
        }
    }

    @Test
    void sigtermStopsAWorkerWithinFiveSecondsWhenTheBrokerIsGone() throws Exception {
        Fleet fleet = Fleet.get();
        Path log = dir.resolve("sigterm.log");
        try (EmbeddedKafka broker = EmbeddedKafka.builder().start();
             WorkerProcess w = WorkerProcess.start(args(broker.bootstrapServers(), fleet.registry(),
                     fleet.storage()), log)) {
            assertTrue(w.awaitLog("started, consuming", StartupCheck.WAIT.plus(PROCESS_START).multipliedBy(2)),
                    w.output());
            assertTrue(w.awaitLog("assigned [", Duration.ofSeconds(60)), "joined the group\n" + w.output());
            broker.close();
            assertTrue(w.awaitLog("could not be established", Duration.ofSeconds(60)),
                    "the worker saw the broker go\n" + w.output());
            Instant term = Instant.now();
            int exit = w.terminate(Duration.ofSeconds(10));
            Duration took = Duration.between(term, Instant.now());
            assertNotEquals(-1, exit, "still running 10 s after SIGTERM\n" + w.output());
            System.out.println("SIGTERM with the broker gone: exit " + exit + " after " + took.toMillis() + " ms");
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "stopped " + took.toMillis() + " ms after SIGTERM\n"
                    + w.output());
            assertTrue(PostWorker.STOP_WITHIN.compareTo(Duration.ofSeconds(5)) < 0);
            assertFalse(w.output().contains("\tat "), "no stack trace on stop\n" + w.output());
        }
    }

    /** A window worker on the CPU with the given broker, registry and storage path. */
    private static List<String> args(String bootstrap, String registry, Path storage) {
        return new ArrayList<>(List.of("run", "--windowpost", "--bootstrap", bootstrap, "--registry", registry,
                "--storage", storage.toString(), "--hash", "java", "--heartbeat-interval", "500ms"));
    }

    /** A storage path as Lotus lays it out, with no sector in it. */
    private Path lotusLayout(String name) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("sealed"));
        Files.createDirectories(root.resolve("cache"));
        return root;
    }

    /** What the process printed after its start-up print (the headline and one line per setting). */
    private static List<String> linesAfterTheSettings(String output) {
        List<String> lines = new ArrayList<>(output.lines().toList());
        assertTrue(!lines.isEmpty() && lines.get(0).startsWith("post-worker "), output);
        lines.remove(0);
        lines.removeIf(l -> l.startsWith("  --"));
        lines.removeIf(l -> l.startsWith("warning: --storage"));
        return lines;
    }
}
