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
 * Two worker processes; the one proving the deadline's partition is killed with SIGKILL (or frozen with SIGSTOP)
 * mid-proof. Its heartbeats stop, so the miner publishes the task again to the other worker's partition at once,
 * well before the broker's session time-out (6 s) would hand the dead worker's partition on, and the deadline is
 * submitted. The miner does not prove it itself: a live worker remains. A frozen worker that wakes up later sends a
 * result that is dropped as a duplicate, never accepted a second time.
 */
class FleetFailoverTest {

    @Test
    void aPartitionHeldByAKilledWorkerIsProvenByAnotherAndTheDeadlineCompletes() throws Exception {
        failover(false);
    }

    @Test
    void aFrozenWorkersTaskRunsElsewhereAndItsLateResultIsADuplicate() throws Exception {
        failover(true);
    }

    private void failover(boolean freeze) throws Exception {
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
                if (freeze) {
                    signal("STOP", workers.get(victim).pid());
                } else {
                    workers.get(victim).kill();
                }

                MinerEvent again = await(app, Duration.ofSeconds(30), "the other worker starts the partition",
                        e -> e.type() == EventType.STARTED && e.deadline() == 0 && workers.containsKey(e.worker())
                                && !e.worker().equals(victim));
                Duration toRunning = Duration.between(kill, again.ts());
                MinerEvent accepted = await(app, Duration.ofSeconds(30), "deadline 0 partition 0 accepted",
                        e -> e.type() == EventType.ACCEPTED && e.deadline() == 0);
                await(app, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
                System.out.println("failover: " + (freeze ? "SIGSTOP" : "SIGKILL") + " to the task running again "
                        + toRunning.toMillis() + " ms, to accepted " + Duration.between(kill, accepted.ts()).toMillis()
                        + " ms");
                assertNotEquals(victim, accepted.worker());
                assertEquals(again.worker(), accepted.worker());
                assertTrue(toRunning.compareTo(Duration.ofSeconds(3)) <= 0,
                        "the task ran again " + toRunning.toMillis() + " ms after the kill; the target is 3 s");
                List<MinerEvent> reassigned = MinerFleet.events(app, EventType.REASSIGNED);
                assertEquals(1, reassigned.size(), "handed on once: " + reassigned);
                assertEquals(again.worker(), reassigned.get(0).worker());
                assertTrue(reassigned.get(0).reason().startsWith(victim + "'s heartbeats stopped"),
                        reassigned.get(0).reason());
                assertTrue(MinerFleet.events(app, EventType.FALLBACK_STARTED).isEmpty(),
                        "the miner must not step in while a worker is live");
                if (freeze) {
                    signal("CONT", workers.get(victim).pid());
                    MinerEvent late = await(app, Duration.ofSeconds(30), "the woken worker's late result dropped",
                            e -> e.type() == EventType.DUPLICATE && victim.equals(e.worker()));
                    assertEquals(first.taskId(), late.taskId());
                    assertEquals(1, MinerFleet.events(app, EventType.ACCEPTED).stream()
                            .filter(e -> e.taskId().equals(first.taskId())).count(), "accepted once");
                }
            } finally {
                for (WorkerProcess p : workers.values()) {
                    signal("CONT", p.pid());
                    p.close();
                }
            }
        }
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }
}
