package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.chain.WindowSubmission;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.schemas.PostKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two sectors of a deadline are damaged on disk (one replica truncated, one cache directory gone): the worker skips
 * them in the same pass, the miner verifies the rest, records both as faults and still submits the deadline.
 */
class SkippedSectorTest {

    @Test
    void damagedSectorsAreReportedAsFaultsAndTheDeadlineIsStillSubmitted() throws Exception {
        try (MinerFleet fleet = new MinerFleet("skipped", 4)) {
            Path sealed1 = fleet.storage.resolve("sealed/s-t01000-1");
            Files.write(sealed1, new byte[100]); // truncated replica
            deleteTree(fleet.storage.resolve("cache/s-t01000-2"));

            fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO);
            MinerApp app = fleet.miner(fleet.settings());
            FleetDeadlineTest.awaitLiveWorkers(app, 1);
            app.start();

            MinerEvent submitted = await(app, Duration.ofSeconds(40), "deadline 0 submitted", deadlineSubmitted(0));
            List<MinerEvent> faults = events(app, EventType.FAULT);
            assertEquals(2, faults.size(), faults.toString());
            assertTrue(faults.stream().anyMatch(e -> e.reason().startsWith("sector 1 skipped")), faults.toString());
            assertTrue(faults.stream().anyMatch(e -> e.reason().startsWith("sector 2 skipped")), faults.toString());
            assertEquals(List.of(1L, 2L), submitted.details().get("faulty_sectors"));
            List<MinerEvent> accepted = events(app, EventType.ACCEPTED);
            assertEquals(2, accepted.size(), "each partition accepted once, not re-proven: " + accepted);
            assertTrue(accepted.stream().allMatch(e -> "window-1".equals(e.worker())));
            WindowSubmission onChain = app.chain().submissions().get(0);
            assertEquals(List.of(1L, 2L), onChain.faultySectors().stream().sorted().toList());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
