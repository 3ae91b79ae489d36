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
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No window worker: the miner proves deadline 0 itself, starting within 5 s of publishing. A worker then joins and
 * the miner hands deadline 1 back to the fleet.
 */
class FallbackTest {

    @Test
    void withNoWorkerTheMinerProvesItselfAndHandsBackWhenAWorkerJoins() throws Exception {
        try (MinerFleet fleet = new MinerFleet("fallback", 16)) {
            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200); // deadline 0 challenged at 2 s, deadline 1 at 14 s
            MinerApp app = fleet.miner(s).start();

            MinerEvent published = await(app, Duration.ofSeconds(20), "deadline 0 published",
                    e -> e.type() == EventType.PUBLISHED && e.deadline() == 0);
            MinerEvent fallback = await(app, Duration.ofSeconds(20), "fallback started for window",
                    e -> e.type() == EventType.FALLBACK_STARTED);
            MinerEvent localStart = await(app, Duration.ofSeconds(20), "a local start of deadline 0",
                    e -> e.type() == EventType.STARTED && e.deadline() == 0
                            && FallbackController.LOCAL_WORKER.equals(e.worker()));
            Duration toLocal = Duration.between(published.ts(), localStart.ts());
            System.out.println("fallback: published to local proving " + toLocal.toMillis() + " ms");
            assertTrue(toLocal.compareTo(Duration.ofSeconds(5)) <= 0, "local proving began " + toLocal.toMillis()
                    + " ms after publishing; the target is 5 s");
            assertTrue(fallback.reason().contains("no live window worker"), fallback.reason());

            await(app, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
            List<MinerEvent> accepted0 = events(app, EventType.ACCEPTED).stream().filter(e -> e.deadline() == 0).toList();
            assertEquals(4, accepted0.size());
            assertTrue(accepted0.stream().allMatch(e -> FallbackController.LOCAL_WORKER.equals(e.worker())), accepted0.toString());

            fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO);
            MinerEvent ended = await(app, Duration.ofSeconds(20), "fallback ended",
                    e -> e.type() == EventType.FALLBACK_ENDED);
            assertTrue(ended.reason().contains("window-1"), ended.reason());

            await(app, Duration.ofSeconds(40), "deadline 1 submitted", deadlineSubmitted(1));
            List<MinerEvent> accepted1 = events(app, EventType.ACCEPTED).stream().filter(e -> e.deadline() == 1).toList();
            assertEquals(4, accepted1.size());
            assertTrue(accepted1.stream().allMatch(e -> "window-1".equals(e.worker())),
                    "after hand-back the worker proves deadline 1: " + accepted1);
            assertTrue(events(app, EventType.MISSED).isEmpty(), events(app, EventType.MISSED).toString());
        }
    }
}
