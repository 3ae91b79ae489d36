package io.postfleet.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chaos run's short form, in CI: eight deadlines, one fault of every kind, the real processes. The build fails on
 * any lost partition, missed deadline or deadline submitted twice; sectors made faulty by the run itself are allowed.
 */
class ChaosShortTest {

    @TempDir
    Path dir;

    @Test
    void eightDeadlinesUnderAFaultOfEveryKindLoseNothing() throws Exception {
        int kinds = ChaosRun.Fault.values().length;
        ChaosRun.Options o = new ChaosRun.Options(8, kinds, Duration.ofMillis(250), dir.resolve("run"), 7,
                List.of(ChaosRun.Fault.values()));
        ChaosRun.Report r = new ChaosRun(o).run();
        JsonNode j = r.json();
        assertEquals(0, j.get("partitions_lost").asInt(), j.toPrettyString());
        assertEquals(0, j.get("deadlines_missed").asInt(), j.toPrettyString());
        assertEquals(8, j.get("deadlines_on_chain").asInt(), j.toPrettyString());
        assertEquals(0, j.get("deadlines_submitted_twice").asInt(), j.toPrettyString());
        assertTrue(j.get("failover_ms").get("count").asInt() >= 1, "a worker killed or frozen mid-proof: "
                + j.get("failover_ms"));
        assertTrue(j.get("miner_resumed").size() >= 1, "the killed miner said what it read back: " + j.toPrettyString());
        assertEquals(kinds, j.get("faults_injected").asInt(), j.toPrettyString());
        assertEquals(kinds, j.get("faults_by_kind").size(), "every kind once");
        assertTrue(r.passed());
        assertTrue(Files.size(dir.resolve("run/chaos.png")) > 10_000);
        assertTrue(Files.exists(dir.resolve("run/chaos.json")));
    }
}
