package io.postfleet.e2e;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.config.SectorReads;
import io.postfleet.worker.config.WorkerConfig;
import org.junit.jupiter.api.Test;

/**
 * The worker's storage path lacks two healthy sectors that the miner holds: "this worker cannot see the sector" is
 * not a fault. The miner proves the partition itself, keeps its proof (no skipped sector), names the disagreement
 * and submits the deadline with no fault. The same for a sector whose reads are slower than the worker's sector
 * time-out.
 */
class UnseenSectorTest {

    @Test
    void sectorsAWorkerCannotSeeAreProvenByTheMinerAndAreNotFaults() throws Exception {
        try (MinerFleet fleet = new MinerFleet("unseen", 4)) {
            Path partial = Files.createTempDirectory("worker-storage-");
            copyTree(fleet.storage, partial);
            Files.delete(partial.resolve("sealed/s-t01000-1"));
            deleteTree(partial.resolve("cache/s-t01000-2"));
            Files.delete(partial.resolve("sealed/s-t01000-2"));

            MinerApp app = deadlineWithoutFaults(fleet, partial);
            // sectors 1 and 2 are in the deadline's two partitions (two 2KiB sectors each): one recheck of each
            List<MinerEvent> rechecks = events(app, EventType.RECHECK);
            assertEquals(List.of(0, 1), rechecks.stream().map(MinerEvent::partition).sorted().toList(),
                    rechecks.toString());
            assertTrue(rechecks.stream().allMatch(e -> "window-1".equals(e.worker())
                    && e.reason().contains("1 not found in its storage")), rechecks.toString());
            List<MinerEvent> disagreements = events(app, EventType.DISAGREEMENT);
            assertEquals(List.of(1L, 2L), disagreements.stream().map(e -> ((Number) e.details().get("sector"))
                    .longValue()).sorted().toList());
            assertTrue(disagreements.stream().allMatch(e -> "window-1".equals(e.details().get("skipped_by"))
                    && FallbackController.LOCAL_WORKER.equals(e.details().get("proven_by"))), disagreements.toString());
        }
    }

    @Test
    void aWorkerWithAnEmptyButValidStoragePathCausesNoFault() throws Exception {
        try (MinerFleet fleet = new MinerFleet("empty-storage", 4)) {
            Path empty = Files.createTempDirectory("worker-storage-");
            Files.createDirectories(empty.resolve("sealed"));
            Files.createDirectories(empty.resolve("cache"));

            MinerApp app = deadlineWithoutFaults(fleet, empty);
            assertEquals(List.of(0L, 1L, 2L, 3L), events(app, EventType.DISAGREEMENT).stream()
                    .map(e -> ((Number) e.details().get("sector")).longValue()).sorted().toList());
        }
    }

    @Test
    void aSectorReadSlowerThanTheSectorTimeOutIsSkippedByTheWorkerAndProvenByTheMiner() throws Exception {
        try (MinerFleet fleet = new MinerFleet("slow-sector", 4)) {
            Path delays = Files.createTempFile("read-delays-", ".txt");
            Files.writeString(delays, "3 30s\n"); // sector 3's disk answers after 30 s; the worker waits 1 s
            MinerApp app = deadlineWithoutFaults(fleet, fleet.storage, c -> c.withSectorReads(
                    new SectorReads(Duration.ofSeconds(1), delays)));
            List<MinerEvent> rechecks = events(app, EventType.RECHECK);
            assertEquals(1, rechecks.size(), rechecks.toString());
            assertTrue(rechecks.get(0).reason().contains("skipped sectors [3] (0 not found in its storage, 1 "
                    + "unreadable or damaged)"), rechecks.get(0).reason());
            List<MinerEvent> disagreements = events(app, EventType.DISAGREEMENT);
            assertEquals(1, disagreements.size(), disagreements.toString());
            assertTrue(disagreements.get(0).reason().startsWith("sector 3 skipped by window-1 (")
                    && disagreements.get(0).reason().contains("time-out"), disagreements.get(0).reason());
        }
    }

    /** Deadline 0 proven with a window worker over {@code workerStorage}: submitted, no fault. */
    private static MinerApp deadlineWithoutFaults(MinerFleet fleet, Path workerStorage) throws Exception {
        return deadlineWithoutFaults(fleet, workerStorage, c -> c);
    }

    private static MinerApp deadlineWithoutFaults(MinerFleet fleet, Path workerStorage,
                                                  java.util.function.UnaryOperator<WorkerConfig> tune)
            throws Exception {
        fleet.worker(PostKind.WINDOW, "window-1", Duration.ZERO, List.of(workerStorage), tune);
        MinerApp app = fleet.miner(fleet.settings());
        FleetDeadlineTest.awaitLiveWorkers(app, 1);
        app.start();
        MinerEvent submitted = await(app, Duration.ofSeconds(60), "deadline 0 submitted", deadlineSubmitted(0));
        assertEquals(List.of(), submitted.details().get("faulty_sectors"), "no fault for sectors the miner holds");
        assertEquals(List.of(), events(app, EventType.FAULT));
        return app;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
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
