package io.postfleet.bench;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.events.EventType;
import io.postfleet.schemas.PostKind;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Winning dispatch overhead: one in-process winning worker, a miner that never proves itself (so only the worker
 * answers), winning tasks published one at a time (dry runs: proven and verified, nothing submitted). For each:
 * end-to-end from just before {@code publishWinning} to the miner's ACCEPTED event (the proof verified), the worker's
 * own proving time ({@code finished_at - started_at} from its result), and the difference, which is what the fleet
 * adds: serialization, the broker both ways, polling, chunk reassembly, verification. The warm-up tasks come first
 * and are reported on their own line: on a small machine the JIT compiles Kafka, Avro and the prover for the first
 * few hundred tasks (one JVM holds broker, miner and worker here), which a miner that runs for days has long behind
 * it; how long the JIT was still busy during the measured tasks is printed with the settings.
 */
final class WinningDispatch {

    private static final String WORKER = "bench-winning-1";
    /** Far from any epoch the miner's clock reaches in a run, so task ids never collide with the chain's. */
    private static final long FIRST_EPOCH = 1_000_000;

    private final String bootstrap;
    private final String registry;
    private final Path root;
    private final int warmup;
    private final int tasks;

    WinningDispatch(String bootstrap, String registry, Path root, int warmup, int tasks) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.root = root;
        this.warmup = warmup;
        this.tasks = tasks;
    }

    List<Sample> run(StringBuilder settings) throws Exception {
        Sample overhead = new Sample("winning dispatch overhead (e2e - proving)");
        Sample endToEnd = new Sample("winning publish -> verified result (e2e)");
        Sample proving = new Sample("winning proving on the worker");
        Sample outbound = new Sample("  of which publish -> worker started (*)");
        Sample inbound = new Sample("  of which worker finished -> accepted (*)");
        Sample warming = new Sample("warm-up tasks' overhead (not counted above)");
        List<Sample> reference;
        try (BenchFleet fleet = new BenchFleet("winning", bootstrap, registry, root, 8, 7)) {
            fleet.localProving = false;
            fleet.worker(PostKind.WINNING, WORKER, Duration.ZERO);
            MinerApp app = fleet.miner();
            EventClock clock = new EventClock(app);
            BenchFleet.awaitLiveWorkers(app, PostKind.WINNING, List.of(WORKER), Duration.ofSeconds(60));
            settings.append("1 in-process winning worker (CPU hash backend, prove delay 0, status heartbeat ")
                    .append(BenchFleet.WORKER_HEARTBEAT.toMillis()).append(" ms); miner: ")
                    .append(fleet.describeMiner()).append("; ").append(warmup).append(" warm-up tasks not counted, ")
                    .append(tasks).append(" measured, one at a time");
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
            long jitAtStart = 0;
            for (int i = 0; i < warmup + tasks; i++) {
                if (i == warmup && jitTimed) {
                    jitAtStart = jit.getTotalCompilationTime();
                }
                long epoch = FIRST_EPOCH + i;
                String id = TaskFactory.winningTaskId(BenchFleet.MINER, epoch, true);
                Instant wall0 = Instant.now();
                long t0 = System.nanoTime();
                app.miner().publishWinning(app.chain().ticket(epoch), true);
                EventClock.Stamped accepted = clock.await(e -> id.equals(e.taskId())
                                && (e.type() == EventType.ACCEPTED || e.type() == EventType.REJECTED),
                        Duration.ofSeconds(30), "winning task " + id + " accepted");
                if (accepted.event().type() != EventType.ACCEPTED) {
                    throw new IllegalStateException("winning task " + id + " was rejected: " + accepted.event());
                }
                if (!WORKER.equals(accepted.event().worker())) {
                    throw new IllegalStateException("winning task " + id + " was proven by " + accepted.event().worker()
                            + ", not by the worker: the measurement would not be of the fleet");
                }
                double e2e = (accepted.nanos() - t0) / 1e6;
                double prove = provingMs(accepted);
                if (i < warmup) {
                    warming.add(e2e - prove);
                    continue;
                }
                endToEnd.add(e2e);
                proving.add(prove);
                overhead.add(e2e - prove);
                Instant accWall = accepted.event().ts();
                outbound.add(Duration.between(wall0, instant(accepted, "started_at")).toNanos() / 1e6);
                inbound.add(Duration.between(instant(accepted, "finished_at"), accWall).toNanos() / 1e6);
            }
            if (jitTimed) {
                settings.append("; JIT compiler threads busy for ")
                        .append(jit.getTotalCompilationTime() - jitAtStart).append(" ms during the measured tasks");
            }
            reference = InProcessReference.winning(app.chain(), fleet.manifest, fleet.storage, FIRST_EPOCH, 10,
                    Math.min(tasks, 50));
        }
        List<Sample> all = new java.util.ArrayList<>(List.of(overhead, endToEnd, proving, outbound, inbound));
        all.addAll(reference);
        if (warming.size() > 0) {
            all.add(warming);
        }
        return all;
    }

    /** The worker's proving time from its result's started/finished instants (millisecond resolution). */
    private static double provingMs(EventClock.Stamped accepted) {
        return Duration.between(instant(accepted, "started_at"), instant(accepted, "finished_at")).toNanos() / 1e6;
    }

    private static Instant instant(EventClock.Stamped accepted, String field) {
        Object v = accepted.event().details().get(field);
        if (v == null) {
            throw new IllegalStateException("the accepted result of " + accepted.event().taskId() + " carries no "
                    + field + ": " + accepted.event().details());
        }
        return Instant.parse(v.toString());
    }
}
