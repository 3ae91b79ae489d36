package io.postfleet.e2e;

import static io.postfleet.e2e.MinerFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;
import io.postfleet.worker.cli.PostWorkerMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The schema registry stops in the middle of a proving period, for longer than Apicurio's serdes keep a lookup by
 * default (30 s), and comes back on the same port and data directory. The running miner and worker go on publishing
 * and reading tasks, results and heartbeats throughout: every partition due meanwhile is proven by the worker, none
 * locally; and afterwards a replay of the task topic, with a deserializer that has looked nothing up, reads every
 * record written before, during and after the outage.
 */
class RegistryOutageTest {

    /** Apicurio's default cache period plus a margin: a lookup made before the outage has expired by then. */
    private static final Duration PAST_DEFAULT_CACHE = Duration.ofSeconds(32);

    @Test
    void aRunningFleetProvesThroughARegistryOutageAndEveryRecordStaysReadable(@TempDir Path data) throws Exception {
        SchemaRegistryProcess registry = SchemaRegistryProcess.builder().dataDir(data).start();
        int port = registry.port();
        Instant start = Instant.now();
        try (MinerFleet fleet = new MinerFleet("registry-outage", 8, EmbeddedKafka.shared().bootstrapServers(),
                registry.url())) {
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO);
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200);
            s.partitionsPerDeadline = 1;
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();
            await(app, Duration.ofSeconds(60), "a deadline proven by the worker before the outage",
                    e -> fromWorker(e) && e.deadline() >= 0);

            registry.close();
            Instant down = Instant.now();
            // the outage lasts until the worker has proven a partition after every cached lookup would have expired
            await(app, Duration.ofSeconds(90), "a partition proven by the worker more than "
                    + PAST_DEFAULT_CACHE.toSeconds() + " s into the outage",
                    e -> fromWorker(e) && e.ts().isAfter(down.plus(PAST_DEFAULT_CACHE)));
            Instant up = Instant.now();
            registry = SchemaRegistryProcess.builder().dataDir(data).port(port).start();

            List<MinerEvent> history = app.events().history();
            assertEquals(List.of(), history.stream().filter(e -> e.type() == EventType.MISSED).toList(), "missed");
            List<MinerEvent> duringOutage = history.stream().filter(e -> e.type() == EventType.ACCEPTED
                    && e.ts().isAfter(down) && e.ts().isBefore(up)).toList();
            assertTrue(duringOutage.size() >= 2, "partitions accepted during the outage: " + duringOutage);
            assertEquals(List.of(), duringOutage.stream().filter(e -> !fromWorker(e)).toList(),
                    "partitions proven locally while the registry was down (the fleet stopped)");
            System.out.printf("registry outage %d s: %d partitions proven by the worker meanwhile, none locally%n",
                    Duration.between(down, up).toSeconds(), duringOutage.size());

            app.close();
            String out = replay(fleet, registry.url(), start);
            assertEquals("OK: every record was read and no replayed proof differs", lastLine(out), out);
        } finally {
            registry.close();
        }
    }

    /**
     * The registry goes down while a worker that has never published a result proves its first task: the result's
     * schema cannot be looked up, so the finished proof cannot be sent. The worker keeps it (the held-results gauge
     * says so) and sends it once the registry is back: the proof accepted is the one made before the outage, not a
     * second one.
     */
    @Test
    void aProofFinishedWhileTheRegistryIsDownIsKeptAndSentWhenItIsBack(@TempDir Path data) throws Exception {
        SchemaRegistryProcess registry = SchemaRegistryProcess.builder().dataDir(data).start();
        int port = registry.port();
        try (MinerFleet fleet = new MinerFleet("registry-held", 2, EmbeddedKafka.shared().bootstrapServers(),
                registry.url())) {
            io.postfleet.worker.consume.PostWorker worker = fleet.worker(PostKind.WINDOW, "window-1",
                    Duration.ofSeconds(3));
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(300); // deadline 0 closes 24 s after its challenge
            s.partitionsPerDeadline = 1;
            s.localProving = false; // only the worker can prove it
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();
            await(app, Duration.ofSeconds(30), "the worker started deadline 0",
                    e -> e.type() == EventType.STARTED && e.deadline() == 0 && "window-1".equals(e.worker()));
            registry.close();
            Instant down = Instant.now();
            io.micrometer.core.instrument.Gauge held = worker.meters().get("post.worker.results.held").gauge();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (held.value() < 1 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(1.0, held.value(), "the finished proof is kept while the registry is down");
            registry = SchemaRegistryProcess.builder().dataDir(data).port(port).start();

            MinerEvent accepted = await(app, Duration.ofSeconds(30), "deadline 0 accepted from the worker",
                    e -> fromWorker(e) && e.deadline() == 0);
            Instant provedFrom = Instant.parse((String) accepted.details().get("started_at"));
            assertTrue(provedFrom.isBefore(down), "the proof begun before the outage (" + provedFrom + ") is the one "
                    + "accepted, not a new one; the registry stopped at " + down);
            await(app, Duration.ofSeconds(30), "deadline 0 submitted", MinerFleet.deadlineSubmitted(0));
            assertEquals(0.0, held.value(), "nothing is held once it is sent");
            assertEquals(List.of(), MinerFleet.events(app, EventType.MISSED));
        } finally {
            registry.close();
        }
    }

    private static boolean fromWorker(MinerEvent e) {
        return e.type() == EventType.ACCEPTED && e.worker() != null
                && !FallbackController.LOCAL_WORKER.equals(e.worker());
    }

    private static String replay(MinerFleet fleet, String registry, Instant since) {
        CommandLine cl = PostWorkerMain.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int code = cl.execute("replay", "--windowpost", "--since", since.toString(), "--bootstrap", fleet.bootstrap,
                "--registry", registry, "--storage", fleet.storage.toString(), "--hash", "java",
                "--topic-prefix", fleet.prefix);
        assertEquals(0, code, out.toString());
        return out.toString();
    }

    private static String lastLine(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }
}
