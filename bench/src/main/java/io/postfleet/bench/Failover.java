package io.postfleet.bench;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.EventType;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.cli.WorkerProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * SIGKILL to the task running again: two window workers as child processes and a miner that never proves itself,
 * deadlines of one partition. Each round a fresh victim (long prove delay, so it is mid-proof) and the survivor are
 * both idle; the miner's partition chooser breaks the tie by worker id, so the task goes to the victim
 * ({@code a-victim-N} sorts before {@code b-survivor}; a round where it did not is retried). Once the miner reports
 * the victim STARTED, the victim is SIGKILLed; the time to the survivor's STARTED event (its heartbeat naming the
 * task) is the failover time, and to the survivor's ACCEPTED result the recovery time.
 */
final class Failover {

    static final Duration VICTIM_DELAY = Duration.ofSeconds(20);
    static final Duration SURVIVOR_DELAY = Duration.ofMillis(500);
    private static final String SURVIVOR = "b-survivor";

    private final String bootstrap;
    private final String registry;
    private final Path root;
    private final int rounds;

    Failover(String bootstrap, String registry, Path root, int rounds) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.root = root;
        this.rounds = rounds;
    }

    List<Sample> run(StringBuilder settings) throws Exception {
        Sample toStarted = new Sample("SIGKILL -> task STARTED on the other worker");
        Sample toAccepted = new Sample("SIGKILL -> task ACCEPTED from the other worker");
        try (BenchFleet fleet = new BenchFleet("failover", bootstrap, registry, root, 4, 11)) {
            fleet.localProving = false;
            // a dry-run deadline closes 80 epochs after its challenge: 1 s epochs leave 80 s, far more than a
            // failover takes (100 ms epochs would close it after 8 s, before the other worker's session-timeout
            // takeover could finish)
            fleet.epoch = Duration.ofSeconds(1);
            MinerApp app = fleet.miner();
            EventClock clock = new EventClock(app);
            DryDeadlines deadlines = new DryDeadlines(app);
            settings.append("2 post-worker processes (--hash auto, --heartbeat-interval ")
                    .append(BenchFleet.WORKER_HEARTBEAT.toMillis()).append("ms; victim --prove-delay ")
                    .append(VICTIM_DELAY.toSeconds()).append("s, survivor ").append(SURVIVOR_DELAY.toMillis())
                    .append("ms), deadline of 1 partition (2 sectors), ").append(rounds)
                    .append(" rounds; miner: ").append(fleet.describeMiner());
            WorkerProcess survivor = fleet.workerProcess(PostKind.WINDOW, SURVIVOR, SURVIVOR_DELAY,
                    root.resolve("failover-" + SURVIVOR + ".log"));
            int attempts = 0;
            for (int round = 1; toStarted.size() < rounds; round++) {
                if (++attempts > rounds + 3) {
                    throw new IllegalStateException("the victim was not given the task in " + attempts
                            + " attempts; see the worker logs under " + root);
                }
                String victimId = "a-victim-" + round;
                WorkerProcess victim = fleet.workerProcess(PostKind.WINDOW, victimId, VICTIM_DELAY,
                        root.resolve("failover-" + victimId + ".log"));
                BenchFleet.awaitLiveWorkers(app, PostKind.WINDOW, List.of(victimId, SURVIVOR), Duration.ofSeconds(90));
                awaitIdle(app, List.of(victimId, SURVIVOR));
                String taskId = deadlines.publishOnePartition(0, deadlines.nextEpoch());
                EventClock.Stamped started = clock.await(e -> e.type() == EventType.STARTED
                        && taskId.equals(e.taskId()), Duration.ofSeconds(30), "task " + taskId + " started");
                if (!victimId.equals(started.event().worker())) {
                    // the survivor took it: let it finish, then try again with a new victim
                    clock.await(e -> e.type() == EventType.ACCEPTED && taskId.equals(e.taskId()),
                            Duration.ofSeconds(30), "task " + taskId + " accepted");
                    victim.close();
                    System.out.println("  round " + round + ": the task went to " + started.event().worker()
                            + ", not the victim; round repeated");
                    continue;
                }
                long kill = System.nanoTime();
                victim.kill();
                EventClock.Stamped taken = clock.await(e -> e.type() == EventType.STARTED && taskId.equals(e.taskId())
                                && SURVIVOR.equals(e.worker()), Duration.ofSeconds(60),
                        "task " + taskId + " started by " + SURVIVOR + " after " + victimId + " was killed");
                EventClock.Stamped accepted = clock.await(e -> e.type() == EventType.ACCEPTED
                        && taskId.equals(e.taskId()), Duration.ofSeconds(60), "task " + taskId + " accepted");
                if (!SURVIVOR.equals(accepted.event().worker())) {
                    throw new IllegalStateException("task " + taskId + " accepted from " + accepted.event().worker()
                            + ", expected " + SURVIVOR);
                }
                toStarted.add((taken.nanos() - kill) / 1e6);
                toAccepted.add((accepted.nanos() - kill) / 1e6);
                System.out.printf("  round %d: %s killed mid-proof; %s started the task after %.0f ms, result accepted "
                        + "after %.0f ms%n", round, victimId, SURVIVOR, (taken.nanos() - kill) / 1e6,
                        (accepted.nanos() - kill) / 1e6);
            }
            if (!survivor.alive()) {
                throw new IllegalStateException(SURVIVOR + " exited: " + survivor.output());
            }
        }
        return List.of(toStarted, toAccepted);
    }

    /** Waits until the miner's latest heartbeats show every one of {@code ids} idle. */
    private static void awaitIdle(MinerApp app, List<String> ids) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            var live = app.lag().view(PostKind.WINDOW).liveWorkers();
            if (ids.stream().allMatch(id -> live.stream().anyMatch(w -> w.getWorkerId().equals(id)
                    && w.getState() == io.postfleet.schemas.WorkerState.IDLE))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("workers " + ids + " not all idle within 30 s: "
                + app.lag().view(PostKind.WINDOW).liveWorkers());
    }
}
