package io.postfleet.bench;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.fallback.FallbackController;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Publish to local proving with no workers: a miner with local proving on, no worker in its groups, no start-up grace.
 * Window dry runs (one partition) and winning dry runs, one at a time; for each, the time from the publishing call to
 * the STARTED event of {@value FallbackController#LOCAL_WORKER}, and to the ACCEPTED (verified) local proof. The
 * publishing call is the start, not the PUBLISHED event: the task is in the miner's book before it is sent, and the
 * fallback tick may start proving it before the send (schema lookup, first metadata fetch) returns.
 */
final class LocalFallback {

    private static final long FIRST_EPOCH = 2_000_000;

    private final String bootstrap;
    private final String registry;
    private final Path root;
    private final int rounds;

    LocalFallback(String bootstrap, String registry, Path root, int rounds) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.root = root;
        this.rounds = rounds;
    }

    List<Sample> run(StringBuilder settings) throws Exception {
        Sample windowStart = new Sample("window: publish -> local STARTED");
        Sample windowDone = new Sample("window: publish -> local ACCEPTED");
        Sample winningStart = new Sample("winning: publish -> local STARTED");
        Sample winningDone = new Sample("winning: publish -> local ACCEPTED");
        try (BenchFleet fleet = new BenchFleet("local", bootstrap, registry, root, 4, 13)) {
            fleet.localProving = true;
            MinerApp app = fleet.miner();
            EventClock clock = new EventClock(app);
            DryDeadlines deadlines = new DryDeadlines(app);
            settings.append("no workers; miner: ").append(fleet.describeMiner()).append(", fallback tick every ")
                    .append(Math.max(20, Math.min(250, fleet.epoch.toMillis() / 5))).append(" ms; ").append(rounds)
                    .append(" window dry runs (1 partition of 2 sectors) and ").append(rounds)
                    .append(" winning dry runs, one at a time");
            for (int i = 0; i < rounds; i++) {
                long epoch = deadlines.nextEpoch();
                long t0 = System.nanoTime();
                String id = deadlines.publishOnePartition(0, epoch);
                measure(clock, id, t0, windowStart, windowDone);
            }
            for (int i = 0; i < rounds; i++) {
                long epoch = FIRST_EPOCH + i;
                String id = TaskFactory.winningTaskId(BenchFleet.MINER, epoch, true);
                long t0 = System.nanoTime();
                app.miner().publishWinning(app.chain().ticket(epoch), true);
                measure(clock, id, t0, winningStart, winningDone);
            }
        }
        return List.of(windowStart, windowDone, winningStart, winningDone);
    }

    private static void measure(EventClock clock, String id, long t0, Sample start, Sample done)
            throws InterruptedException {
        EventClock.Stamped started = clock.await(e -> e.type() == EventType.STARTED && id.equals(e.taskId()),
                Duration.ofSeconds(30), "task " + id + " started locally");
        if (!FallbackController.LOCAL_WORKER.equals(started.event().worker())) {
            throw new IllegalStateException("task " + id + " started by " + started.event().worker()
                    + " though no worker runs");
        }
        EventClock.Stamped accepted = clock.await(e -> (e.type() == EventType.ACCEPTED || e.type() == EventType.REJECTED)
                && id.equals(e.taskId()), Duration.ofSeconds(60), "task " + id + " accepted");
        if (accepted.event().type() != EventType.ACCEPTED) {
            throw new IllegalStateException("the local proof of " + id + " was rejected: " + accepted.event());
        }
        start.add((started.nanos() - t0) / 1e6);
        done.add((accepted.nanos() - t0) / 1e6);
    }
}
