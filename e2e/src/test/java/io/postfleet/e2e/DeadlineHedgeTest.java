package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live worker that holds a partition and does not answer before the deadline's close (here: a prover slowed far
 * past the deadline; in the chaos run it was a worker retrying a registry that was down) keeps its task, and the
 * miner proves the partition as well within --force-local-before of the close, so the deadline is not missed.
 */
class DeadlineHedgeTest {

    @Test
    void aPartitionHeldByALiveButSlowWorkerIsProvenByTheMinerBeforeTheClose() throws Exception {
        try (MinerFleet fleet = new MinerFleet("hedge", 2)) {
            fleet.worker(PostKind.WINDOW, "window-slow", Duration.ofSeconds(120));
            MinerFleet.Settings s = fleet.settings();
            s.partitionsPerDeadline = 1;
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();

            MinerEvent started = await(app, Duration.ofSeconds(30), "the worker starts the partition",
                    e -> e.type() == EventType.STARTED && "window-slow".equals(e.worker()));
            await(app, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
            List<MinerEvent> accepted = MinerFleet.events(app, EventType.ACCEPTED);
            assertEquals(1, accepted.size());
            assertEquals(FallbackController.LOCAL_WORKER, accepted.get(0).worker());
            MinerEvent local = MinerFleet.events(app, EventType.STARTED).stream()
                    .filter(e -> FallbackController.LOCAL_WORKER.equals(e.worker())).findFirst().orElseThrow();
            assertTrue(local.reason().startsWith("window-slow still holds it and the deadline closes at"),
                    local.reason());
            assertEquals("window-slow", app.roster().holderOf(started.taskId()).orElseThrow().getWorkerId(),
                    "the worker kept its task: its heartbeats still name it");
            assertTrue(MinerFleet.events(app, EventType.REASSIGNED).isEmpty(), "nothing taken from a live worker");
            assertTrue(MinerFleet.events(app, EventType.MISSED).isEmpty());
        }
    }
}
