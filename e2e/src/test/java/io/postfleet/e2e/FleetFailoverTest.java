package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.cli.WorkerProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two worker processes; the one proving the deadline's partition is killed with SIGKILL mid-proof. The other takes
 * the partition once the broker's session time-out (6 s) expires, and the deadline is submitted. The miner does not
 * step in: a live worker remains.
 */
class FleetFailoverTest {

    @Test
    void aPartitionHeldByAKilledWorkerIsProvenByAnotherAndTheDeadlineCompletes() throws Exception {
        try (MinerFleet fleet = new MinerFleet("failover", 2)) {
            Map<String, WorkerProcess> workers = new java.util.HashMap<>();
            try {
                for (String id : List.of("window-a", "window-b")) {
                    WorkerProcess p = WorkerProcess.start(fleet.workerArgs(PostKind.WINDOW, id, "4s"),
                            Files.createTempFile(id + "-", ".log"));
                    workers.put(id, p);
                }
                for (WorkerProcess p : workers.values()) {
                    assertTrue(p.awaitLog("started, consuming", Duration.ofSeconds(90)), p.output());
                }
                MinerFleet.Settings s = fleet.settings();
                s.epoch = Duration.ofMillis(300); // challenge at 3 s, open at 9 s, close at 27 s
                s.forceLocalBefore = Duration.ofSeconds(2);
                MinerApp app = fleet.miner(s);
                FleetDeadlineTest.awaitLiveWorkers(app, 2);
                app.start();

                MinerEvent first = await(app, Duration.ofSeconds(30), "a worker starts the partition",
                        e -> e.type() == EventType.STARTED && e.deadline() == 0 && workers.containsKey(e.worker()));
                String victim = first.worker();
                // the victim's own heartbeat names the task in hand: it is mid-proof (4 s) when killed
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!app.roster().holderOf(first.taskId()).map(w -> w.getWorkerId().equals(victim)).orElse(false)
                        && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertTrue(app.roster().holderOf(first.taskId()).isPresent(), "the miner sees " + victim
                        + " holding " + first.taskId());
                Instant kill = Instant.now();
                workers.get(victim).kill();

                MinerEvent again = await(app, Duration.ofSeconds(30), "the other worker starts the partition",
                        e -> e.type() == EventType.STARTED && e.deadline() == 0 && workers.containsKey(e.worker())
                                && !e.worker().equals(victim));
                Duration toRunning = Duration.between(kill, again.ts());
                MinerEvent accepted = await(app, Duration.ofSeconds(30), "deadline 0 partition 0 accepted",
                        e -> e.type() == EventType.ACCEPTED && e.deadline() == 0);
                await(app, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
                System.out.println("failover: SIGKILL to the task running again " + toRunning.toMillis()
                        + " ms, to accepted " + Duration.between(kill, accepted.ts()).toMillis() + " ms");
                assertNotEquals(victim, accepted.worker());
                assertEquals(again.worker(), accepted.worker());
                assertTrue(toRunning.compareTo(Duration.ofSeconds(15)) <= 0,
                        "the task ran again " + toRunning.toMillis() + " ms after the kill; the target is 15 s");
                assertTrue(MinerFleet.events(app, EventType.FALLBACK_STARTED).isEmpty(),
                        "the miner must not step in while a worker is live");
            } finally {
                for (WorkerProcess p : workers.values()) {
                    p.close();
                }
            }
        }
    }
}
