package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The miner wins every epoch. An idle winning worker answers in time; while it is busy with one proof, the next
 * election's task is proven by the miner at once instead of waiting.
 */
class WinningTest {

    @Test
    void winningTasksAreAnsweredInTimeAndNeverWaitForABusyWorker() throws Exception {
        try (MinerFleet fleet = new MinerFleet("winning", 4)) {
            fleet.worker(PostKind.WINNING, "winning-1", Duration.ofMillis(1200));
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(800);
            s.winProbability = 1.0;
            s.winningBudget = Duration.ofSeconds(3);
            s.firstChallengeEpoch = 1_000; // no window deadline during this test
            MinerApp app = fleet.miner(s);
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (app.lag().view(PostKind.WINNING).liveWorkers().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            app.start();

            await(app, Duration.ofSeconds(30), "a winning proof by the worker, in time",
                    e -> e.type() == EventType.SUBMITTED && e.taskId() != null && "winning-1".equals(e.worker()));
            MinerEvent busy = await(app, Duration.ofSeconds(30), "a winning task proven locally because the worker is busy",
                    e -> e.type() == EventType.STARTED && FallbackController.LOCAL_WORKER.equals(e.worker())
                            && e.reason().contains("every winning worker is busy"));
            await(app, Duration.ofSeconds(10), "that task submitted in time",
                    e -> e.type() == EventType.SUBMITTED && busy.taskId().equals(e.taskId()));
            List<MinerEvent> missed = events(app, EventType.MISSED);
            assertTrue(missed.isEmpty(), "no winning proof missed its block: " + missed);
        }
    }
}
