package io.postfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.cli.PostMiner;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.cli.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code post-miner info} and {@code proving workers|deadlines} as an operator runs them, against a running miner
 * and its workers on the real broker and registry: text and {@code --json}, tokens signed with the miner's secret
 * and refused without it, live workers never left out, a killed worker shown as gone.
 */
class OperatorCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    private Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = PostMiner.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void infoWorkersAndDeadlinesAnswerAsLotusPrintsThem() throws Exception {
        Path secret = dir.resolve("token-secret");
        TokenSecret.loadOrCreate(secret, n -> { });
        try (MinerFleet fleet = new MinerFleet("operator", 8)) {
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ofMillis(200));
            fleet.worker(PostKind.WINDOW, "window-2", Duration.ofMillis(200));
            fleet.worker(PostKind.WINNING, "winning-1", Duration.ZERO);
            MinerFleet.Settings s = fleet.settings();
            s.apiSecret = SecretSource.file(secret);
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 2);
            app.start();
            String api = "http://127.0.0.1:" + app.apiPort();
            String[] auth = {"--api", api, "--secret", secret.toString()};

            await(app, Duration.ofSeconds(40), "deadline 0 submitted", deadlineSubmitted(0));
            Outcome info = run(cat(new String[] {"info"}, auth));
            assertEquals(0, info.code(), info.err());
            assertTrue(info.out().contains("Workers: WdPoSt: 2, WinPoSt: 1"), info.out());
            assertTrue(info.out().matches("(?s).*Deadline: \\d+ of 48, challenge \\d+, open \\d+, close \\d+ .*"),
                    info.out());
            assertTrue(info.out().contains("Proving window:  fleet"), info.out());

            Outcome workers = run(cat(new String[] {"proving", "workers"}, auth));
            assertEquals(0, workers.code(), workers.err());
            for (String id : List.of("window-1", "window-2", "winning-1")) {
                assertTrue(workers.out().contains("Worker " + id + ", host "), workers.out());
            }
            assertTrue(workers.out().matches("(?s).*CPU:  \\[[| ]{40}] \\d+\\.\\d/\\d+ core\\(s\\) in use.*"),
                    workers.out());
            assertTrue(workers.out().matches("(?s).*RAM:  \\[[| ]{40}] \\d+% \\d+\\.\\d GiB/\\d+\\.\\d GiB host, this "
                    + "worker \\d+\\.\\d GiB.*"), workers.out());
            assertTrue(workers.out().contains("VMEM: ["), workers.out());
            assertTrue(workers.out().contains("TASK: WinPoSt"), workers.out());

            Outcome deadlines = run(cat(new String[] {"proving", "deadlines", "--json"}, auth));
            assertEquals(0, deadlines.code(), deadlines.err());
            JsonNode zero = JSON.readTree(deadlines.out()).get("deadlines").get(0);
            assertEquals("submitted", zero.get("state").asText(), deadlines.out());

            // live workers are listed every time: heartbeats come every 300 ms and a worker is gone only after
            // the miner's silence limit, never after one late heartbeat
            for (int i = 0; i < 20; i++) {
                Set<String> live = liveIds(run(cat(new String[] {"proving", "workers", "--json"}, auth)));
                assertEquals(Set.of("window-1", "window-2", "winning-1"), live, "round " + i);
            }

            // a worker that dies without a word is shown as gone, not dropped at once
            WorkerProcess doomed = WorkerProcess.start(fleet.workerArgs(PostKind.WINDOW, "window-doomed", "0s"),
                    dir.resolve("doomed.log"));
            awaitWorkers(auth, "window-doomed live", ws -> liveIds(ws).contains("window-doomed"));
            doomed.kill();
            JsonNode gone = awaitWorkers(auth, "window-doomed gone", ws -> state(ws, "window-doomed").equals("gone"));
            assertTrue(gone.toString().contains("window-1"), "the others stay listed: " + gone);
            Outcome text = run(cat(new String[] {"proving", "workers"}, auth));
            assertTrue(text.out().matches("(?s).*Worker window-doomed, host \\S+\\s+GONE: no heartbeat for .*"),
                    text.out());

            // without the miner's secret the miner refuses, in one line
            Path other = dir.resolve("other-secret");
            TokenSecret.loadOrCreate(other, n -> { });
            Outcome refused = run("info", "--api", api, "--secret", other.toString());
            assertEquals(2, refused.code());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().startsWith("the miner at " + api + " refused a token signed with " + other
                    + ": token refused"), refused.err());
        }
    }

    @Test
    void aMinerThatIsNotThereIsOneLine() {
        Outcome o = run("info", "--api", "http://127.0.0.1:" + io.postfleet.testkit.EmbeddedKafka.freePort(),
                "--secret", dir.resolve("none").toString());
        assertEquals(1, o.code());
        assertTrue(o.err().startsWith("no miner answers at http://127.0.0.1:"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
    }

    private JsonNode awaitWorkers(String[] auth, String what, Predicate<JsonNode> ok) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            Outcome o = run(cat(new String[] {"proving", "workers", "--json"}, auth));
            assertEquals(0, o.code(), o.err());
            last = JSON.readTree(o.out());
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("never " + what + ": " + last);
    }

    private static Set<String> liveIds(Outcome o) {
        assertEquals(0, o.code(), o.err());
        try {
            return liveIds(JSON.readTree(o.out()));
        } catch (java.io.IOException e) {
            throw new AssertionError(o.out(), e);
        }
    }

    private static Set<String> liveIds(JsonNode ws) {
        Set<String> ids = new HashSet<>();
        ws.get("workers").forEach(w -> {
            if (w.get("liveness").asText().equals("live")) {
                ids.add(w.get("id").asText());
            }
        });
        return ids;
    }

    private static String state(JsonNode ws, String id) {
        for (JsonNode w : ws.get("workers")) {
            if (w.get("id").asText().equals(id)) {
                return w.get("liveness").asText();
            }
        }
        return "absent";
    }

    private static String[] cat(String[] a, String[] b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
