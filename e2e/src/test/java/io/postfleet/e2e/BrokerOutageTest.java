package io.postfleet.e2e;

import static io.postfleet.e2e.MinerFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
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
import org.junit.jupiter.api.Test;

/**
 * The broker stops for 30 s in the middle of a proving period, with elections won and deadlines due meanwhile, and
 * comes back on the same port and data directory: the miner's loop keeps its pace, every election and deadline is
 * proven in time (locally while the broker is away), and the fleet takes the work back when the broker returns.
 */
class BrokerOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);

    @Test
    void aThirtySecondBrokerOutageChangesWhoProvesNeverWhetherAProofIsMadeInTime() throws Exception {
        Path logDir = Files.createTempDirectory("outage-kafka-");
        EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(logDir).start();
        int port = Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
        int controllerPort = kafka.controllerPort();
        try (MinerFleet fleet = new MinerFleet("outage", 12, kafka.bootstrapServers())) {
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO);
            fleet.worker(PostKind.WINNING, "winning-1", Duration.ZERO);
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200);
            s.partitionsPerDeadline = 1; // 6 deadlines of one partition, one every 12 s
            s.winProbability = 0.1;
            s.winningBudget = Duration.ofSeconds(2);
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();
            await(app, Duration.ofSeconds(60), "a deadline proven by the fleet before the outage",
                    e -> e.type() == EventType.ACCEPTED && e.deadline() >= 0
                            && !FallbackController.LOCAL_WORKER.equals(e.worker()));

            Instant down = Instant.now();
            kafka.close();
            long worstLag = 0;
            long until = System.nanoTime() + OUTAGE.toNanos();
            while (System.nanoTime() < until) {
                // the chain loop's pace, sampled: how far the last handled epoch is behind the chain
                worstLag = Math.max(worstLag, app.chain().currentEpoch() - app.miner().handledEpoch());
                Thread.sleep(100);
            }
            Instant up = Instant.now();
            kafka = EmbeddedKafka.builder().port(port).controllerPort(controllerPort).logDir(logDir).start();

            MinerEvent handedBack = await(app, Duration.ofSeconds(90), "a partition accepted from a worker again",
                    e -> e.type() == EventType.ACCEPTED && e.deadline() >= 0 && e.ts().isAfter(up)
                            && !FallbackController.LOCAL_WORKER.equals(e.worker()));
            List<MinerEvent> history = app.events().history();
            List<MinerEvent> missed = history.stream().filter(e -> e.type() == EventType.MISSED).toList();
            assertEquals(List.of(), missed, "nothing missed");
            List<MinerEvent> wonDuringOutage = history.stream().filter(e -> e.type() == EventType.SUBMITTED
                    && e.taskId() != null && e.ts().isAfter(down) && e.ts().isBefore(up)).toList();
            List<MinerEvent> deadlinesDuringOutage = history.stream().filter(e -> e.type() == EventType.SUBMITTED
                    && e.taskId() == null && e.ts().isAfter(down) && e.ts().isBefore(up)).toList();
            System.out.printf("broker outage %d s: %d elections and %d deadlines submitted meanwhile, loop at most "
                            + "%d epochs behind, fleet proving again %d ms after the restart%n", OUTAGE.toSeconds(),
                    wonDuringOutage.size(), deadlinesDuringOutage.size(), worstLag,
                    Duration.between(up, handedBack.ts()).toMillis());
            assertTrue(worstLag <= 2, "the chain loop fell " + worstLag + " epochs behind while the broker was away");
            assertTrue(!wonDuringOutage.isEmpty(), "elections were won and submitted during the outage: " + history);
            assertTrue(!deadlinesDuringOutage.isEmpty(), "a deadline was submitted during the outage");
            for (MinerEvent d : deadlinesDuringOutage) {
                long afterOpen = ((Number) d.details().get("after_open_ms")).longValue();
                assertTrue(afterOpen <= 2 * s.epoch.toMillis(), "deadline " + d.deadline() + " submitted "
                        + afterOpen + " ms after its open");
            }
        } finally {
            kafka.close();
        }
    }
}
