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
import io.postfleet.proofs.hash.opencl.DeviceInfo;
import io.postfleet.proofs.hash.opencl.OpenClDevices;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.FixedAnswerServer;
import io.postfleet.worker.Fleet;
import io.postfleet.worker.consume.PostWorker;
import io.postfleet.worker.host.OpenFileLimit;
import io.postfleet.worker.status.JnaNvml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code post-worker run} as a real process: a wrong broker, registry or storage path is refused before the worker
 * joins anything, with one line naming the setting, the value and what to do, and exit 2; so is an open-file limit
 * that stays below --min-open-files, and a malformed BELLMAN_CUSTOM_GPU; a low soft limit is raised; an empty storage
 * path that has the Lotus layout is accepted with a warning; SIGTERM stops the worker within 5 s when the broker is
 * gone.
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
                    w.linesAfterTheSettings());
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
                    + "give the registry's base URL, e.g. http://127.0.0.1:8080"), w.linesAfterTheSettings());
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
                    + "holding sealed/ and cache/"), w.linesAfterTheSettings());
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

    @Test
    void anOpenFileLimitThatStaysBelowTheMinimumIsRefusedWithTheUlimitLineToRun() throws Exception {
        List<String> args = args("127.0.0.1:" + EmbeddedKafka.freePort(), "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                lotusLayout("valid"));
        // soft and hard: the hard limit cannot be raised again without root
        try (WorkerProcess w = WorkerProcess.launch().shell("ulimit -n 512").start(args, dir.resolve("nofile.log"))) {
            int exit = w.awaitExit(PROCESS_START);
            assertEquals(2, exit, w.output());
            assertEquals(List.of("--min-open-files (default) 4096: this process may open only 512 files (soft 512, "
                    + "hard 512, after raising the soft limit to the hard one); run 'ulimit -n 1048576' where the "
                    + "worker is started (raising the hard limit needs root: LimitNOFILE=1048576 in its systemd unit, "
                    + "or a nofile line in /etc/security/limits.conf), or lower --min-open-files"),
                    w.linesAfterTheSettings());
            assertFalse(w.output().contains("\tat "), w.output());
        }
    }

    @Test
    void aLowSoftLimitUnderAHighHardOneIsRaisedAndTheWorkerRunsAndReportsItsDevices() throws Exception {
        Fleet fleet = Fleet.get();
        Topics topics = fleet.topics("startup-nofile");
        String hard = OpenFileLimit.text(OpenFileLimit.read().hard());
        String token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.bWFkZS11cC1zaWduYXR1cmU";
        List<String> args = args(fleet.bootstrap(), fleet.registry(), fleet.storage());
        args.addAll(List.of("--topic-prefix", Fleet.prefixOf(topics), "--group", "g-startup-nofile",
                "--no-create-topics", "--worker-id", "nofile-1", "--storage-token", "storage-" + token));
        // -XX:-MaxFDLimit: the JVM leaves the soft limit where the shell put it, so the worker's raise is seen
        try (WorkerProcess w = WorkerProcess.launch().shell("ulimit -Sn 512").jvmOption("-XX:-MaxFDLimit")
                .env("MINER_API_INFO", token + ":/ip4/127.0.0.1/tcp/2345/http")
                .env("BELLMAN_CUSTOM_GPU", "Radeon Pro W7900:6144")
                .env("FIL_PROOFS_PARAMETER_CACHE", dir.resolve("params").toString())
                .start(args, dir.resolve("raise.log"))) {
            assertTrue(w.awaitLog("started, consuming", StartupCheck.WAIT.plus(PROCESS_START).multipliedBy(2)),
                    w.output());
            String out = w.output();
            assertTrue(out.contains("\nopen files: soft limit 512 -> " + hard + ", hard limit " + hard + "; at least "
                    + "4096 needed (--min-open-files)\n"), out);
            assertTrue(out.contains("\nsectors: 4 under --storage, the largest 2KiB: windowPoSt on 2KiB sectors "
                    + "needs 1 GiB of RAM and no GPU\n"), out);
            assertTrue(out.contains("\nBELLMAN_CUSTOM_GPU Radeon Pro W7900:6144: matches no device here"), out);
            assertTrue(out.contains("\nproof parameters: FIL_PROOFS_PARAMETER_CACHE " + dir.resolve("params")
                    + " does not exist; vanilla proving needs no parameters, a SNARK engine will"), out);
            assertFalse(out.contains(token), "no token printed\n" + out);
            assertTrue(out.matches("(?s).*\n  MINER_API_INFO +\\*{4}:/ip4/127\\.0\\.0\\.1/tcp/2345/http\n.*"), out);
            assertTrue(out.matches("(?s).*\n  --storage-token +\\*{4}\n.*"), out);
            assertFalse(out.contains("warning:"), "2KiB sectors on this host: nothing is short\n" + out);
            var status = fleet.heartbeat(topics, Duration.ofSeconds(30), s -> s.getWorkerId().equals("nofile-1"));
            assertTrue(status.isPresent(), "the worker runs and reports");
            List<String> expected = JnaNvml.load().isPresent() ? null
                    : OpenClDevices.list().stream().map(DeviceInfo::name).toList();
            if (expected != null) {
                assertEquals(expected, status.get().getGpus().stream().map(GpuInfo::getName).toList(),
                        "without NVML the heartbeat lists the OpenCL devices");
                assertTrue(status.get().getGpus().stream().allMatch(g -> g.getSource().equals("opencl")
                        && g.getMemTotalBytes() > 0 && !g.getUsed()), "--hash java uses no device: "
                        + status.get().getGpus());
            }
            int exit = w.terminate(Duration.ofSeconds(20));
            assertTrue(exit == 0 || exit == 143, "exit " + exit + "\n" + w.output());
        }
    }

    @Test
    void aMalformedCustomGpuVariableIsRefusedInOneLineNamingItAndTheForm() throws Exception {
        List<String> args = args("127.0.0.1:" + EmbeddedKafka.freePort(), "http://127.0.0.1:" + EmbeddedKafka.freePort(),
                lotusLayout("valid"));
        try (WorkerProcess w = WorkerProcess.launch().env("BELLMAN_CUSTOM_GPU", "GeForce RTX 3080")
                .start(args, dir.resolve("custom-gpu.log"))) {
            assertEquals(2, w.awaitExit(PROCESS_START), w.output());
            assertEquals(List.of("BELLMAN_CUSTOM_GPU: 'GeForce RTX 3080' is not valid: write MODEL-NAME:CORES, e.g. "
                    + "GeForce RTX 3080:8704 (several separated by commas)"), w.output().lines().toList());
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
}
