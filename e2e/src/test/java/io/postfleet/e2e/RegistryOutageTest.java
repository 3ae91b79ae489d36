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
