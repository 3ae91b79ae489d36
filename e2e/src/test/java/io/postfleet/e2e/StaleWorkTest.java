package io.postfleet.e2e;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.postfleet.miner.MinerApp;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.consume.PostWorker;
import org.junit.jupiter.api.Test;

/**
 * No window worker while deadline 0 is proven (the miner proves it itself and submits it); a worker that joins
 * afterwards finds the deadline's tasks uncommitted in the group and must skip them all, proving nothing of it.
 */
class StaleWorkTest {

    @Test
    void aWorkerThatComesBackAfterTheDeadlineWasSubmittedProvesNothingOfIt() throws Exception {
        try (MinerFleet fleet = new MinerFleet("stale", 8)) {
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200); // deadline 0 challenged at 2 s, open at 6 s
            // the miner waits for workers until 5 s, so every task is on the topic before it proves them itself
            s.workerGrace = Duration.ofSeconds(5);
            MinerApp app = fleet.miner(s).start();
            await(app, Duration.ofSeconds(60), "deadline 0 submitted, proven by the miner", deadlineSubmitted(0));
            int partitions = app.chain().partitions(0).size();

            PostWorker late = fleet.worker(PostKind.WINDOW, "late-1", Duration.ZERO);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (skipped(late) < partitions && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertEquals(partitions, skipped(late), "every task of the submitted deadline skipped");
            assertEquals(0, late.activity().tasksDone(), "nothing of the submitted deadline proven");
        }
    }

    private static double skipped(PostWorker w) {
        Counter c = w.meters().find("post.worker.tasks.skipped.settled").counter();
        return c == null ? 0 : c.count();
    }
}
