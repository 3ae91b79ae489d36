package io.postfleet.miner.fallback;

import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.gather.Answer;
import io.postfleet.miner.gather.ResultGatherer;
import io.postfleet.miner.lag.GroupView;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.miner.lag.WorkerRoster;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Decides, every tick and per kind, whether the miner proves tasks itself.
 * <ul>
 *   <li>No live consumer (no group member, or no fresh heartbeat of the kind) and tasks open: fallback starts, after
 *   the start-up grace period unless a task's deadline is too close to wait.</li>
 *   <li>A task within {@code forceLocalBefore} of its due time that no live worker holds is proven locally even while
 *   workers are live: they are busy elsewhere and the deadline will not wait.</li>
 *   <li>Winning tasks are never left to a busy or missing worker: with no idle live winning worker at publish, or no
 *   worker starting within {@code winningStartTimeout}, the miner proves at once; and when the worker that took it
 *   has not answered within {@code winningHedgeAfter} the miner proves it as well (a winning proof is one sector's:
 *   cheap to duplicate, and the block will not wait). The first valid proof is used.</li>
 *   <li>A refused result is proven again locally: a worker that produced one invalid proof may be misconfigured.</li>
 * </ul>
 * Window and winning proofs run on separate local threads so a block is never stuck behind a partition.
 */
public final class FallbackController implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FallbackController.class);
    /** How the local prover appears in events and results. */
    public static final String LOCAL_WORKER = "miner-local";

    private final ProvingBook book;
    private final LagMonitor lag;
    private final WorkerRoster roster;
    private final EventLog events;
    private final LocalProver prover;
    private final Duration grace;
    private final Duration forceLocalBefore;
    private final Duration winningStartTimeout;
    private final Duration winningHedgeAfter;
    private final Instant startedAt;
    /** Whether the miner proves a kind itself now; read by the operator API while the tick thread changes it. */
    private final Map<PostKind, Boolean> active = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<PostKind, ExecutorService> threads = new EnumMap<>(PostKind.class);
    private final BooleanSupplier fleetReachable;
    private volatile ResultGatherer gatherer;
    private volatile Reassigner reassigner = (t, lost) -> null;

    /** Publishes a task whose holder was lost to another live worker's partition. */
    @FunctionalInterface
    public interface Reassigner {
        /** @return the worker it went to, or null when no idle live worker consumes a partition */
        String reassign(TaskRecord task, String lostWorker);
    }

    /**
     * @param prover         the local prover, or null when the miner must not prove (then tasks only wait for workers)
     * @param fleetReachable whether tasks reach the broker now; when not, no worker counts as live
     */
    public FallbackController(ProvingBook book, LagMonitor lag, WorkerRoster roster, EventLog events, LocalProver prover,
                              Duration grace, Duration forceLocalBefore, Duration winningStartTimeout,
                              Duration winningHedgeAfter, BooleanSupplier fleetReachable) {
        this.fleetReachable = fleetReachable;
        this.winningHedgeAfter = winningHedgeAfter;
        this.book = book;
        this.lag = lag;
        this.roster = roster;
        this.events = events;
        this.prover = prover;
        this.grace = grace;
        this.forceLocalBefore = forceLocalBefore;
        this.winningStartTimeout = winningStartTimeout;
        this.startedAt = Instant.now();
        for (PostKind kind : PostKind.values()) {
            active.put(kind, false);
            threads.put(kind, Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "miner-local-" + kind.name().toLowerCase(Locale.ROOT));
                t.setDaemon(true);
                return t;
            }));
        }
    }

    /** Whether the miner proves {@code kind} itself now because no worker of that kind consumes. */
    public boolean isActive(PostKind kind) {
        return active.getOrDefault(kind, false);
    }

    /** Whether the miner may prove at all (false with --no-local-proving). */
    public boolean canProveLocally() {
        return prover != null;
    }

    /** Who republishes a task whose worker went silent (the miner's dispatch). */
    public void reassignWith(Reassigner r) {
        this.reassigner = r;
    }

    /** Where local answers go to be verified like any other. */
    public void attach(ResultGatherer gatherer) {
        this.gatherer = gatherer;
        gatherer.onRefused(this::reprove);
        gatherer.onRecheck(this::proveLocally);
    }

    public void tick(Instant now) {
        for (PostKind kind : PostKind.values()) {
            GroupView view = lag.view(kind);
            boolean reachable = fleetReachable.getAsBoolean();
            boolean live = reachable && view.hasLiveConsumer();
            if (live && active.get(kind)) {
                active.put(kind, false);
                events.emit(EventType.FALLBACK_ENDED, null, -1, -1, null, "live " + kind.name().toLowerCase(Locale.ROOT)
                        + " workers consume again: " + names(view.liveWorkers()) + "; handing back to the fleet");
            }
            List<TaskRecord> open = book.open(kind);
            if (open.isEmpty()) {
                continue;
            }
            boolean inGrace = now.isBefore(startedAt.plus(grace));
            for (TaskRecord t : open) {
                if (t.state() != io.postfleet.miner.deadline.TaskState.PENDING) {
                    continue;
                }
                Optional<WorkerStatus> holder = roster.holderOf(t.taskId());
                if (holder.isEmpty() && reassignLost(t)) {
                    continue;
                }
                if (holder.isPresent()) {
                    if (kind == PostKind.WINNING && !now.isBefore(t.publishedAt().plus(winningHedgeAfter))) {
                        // a block waits for no one: the worker keeps its task, the miner proves it too, and the
                        // first valid proof is the one used
                        proveLocally(t, holder.get().getWorkerId() + " has not answered within "
                                + winningHedgeAfter.toMillis() + " ms; proving it here as well");
                    }
                    if (kind == PostKind.WINDOW && !now.isBefore(t.dueAt().minus(forceLocalBefore))) {
                        // the worker keeps its task (it is never taken from a live worker), but a deadline waits
                        // for no one either: this close to it the miner proves the partition as well, and the
                        // first valid proof is used (a worker stuck on a registry or a disk still names its task)
                        proveLocally(t, holder.get().getWorkerId() + " still holds it and the deadline closes at "
                                + t.dueAt() + "; proving it here as well");
                    }
                    continue;
                }
                // a window task is urgent near its deadline's close; a winning task's whole budget is short, so it
                // is judged by whether a worker started it in time instead
                boolean urgent = kind == PostKind.WINDOW && !now.isBefore(t.dueAt().minus(forceLocalBefore));
                boolean unstartedWinning = kind == PostKind.WINNING
                        && !now.isBefore(t.publishedAt().plus(winningStartTimeout));
                if (!live && (!inGrace || urgent)) {
                    if (!active.get(kind)) {
                        active.put(kind, true);
                        events.emit(EventType.FALLBACK_STARTED, t.taskId(), t.deadline(), t.partition(), LOCAL_WORKER,
                                (reachable ? "no live " : "the fleet is unreachable (tasks are not acknowledged by "
                                        + "the broker); no live ") + kind.name().toLowerCase(Locale.ROOT)
                                        + " worker consumes (lag " + view.lag()
                                        + ", members " + view.partitionsByMember().size() + ", live heartbeats "
                                        + view.liveWorkers().size() + ")");
                    }
                    proveLocally(t, "no live worker");
                } else if (urgent) {
                    proveLocally(t, "due at " + t.dueAt() + " and no worker has started it");
                } else if (unstartedWinning) {
                    proveLocally(t, "no winning worker started it within " + winningStartTimeout.toMillis() + " ms");
                }
            }
        }
    }

    /**
     * When the last worker that started {@code t} still named it in its last heartbeat and has gone silent (a killed
     * or frozen process: its heartbeats stopped, not its word), {@code t} is published to another live idle worker's
     * partition, or proven here when there is none, without waiting for the broker's session time-out to hand the
     * dead worker's partition on. A worker whose heartbeats are live is never passed over; a task proven twice is
     * harmless, the first valid proof counts.
     *
     * @return whether {@code t} was handed on now
     */
    private boolean reassignLost(TaskRecord t) {
        List<String> provers = t.startedBy();
        if (provers.isEmpty()) {
            return false;
        }
        String last = provers.get(provers.size() - 1);
        if (last.equals(LOCAL_WORKER)) {
            return false;
        }
        Optional<WorkerRoster.Sighting> seen = roster.get(last);
        if (seen.isEmpty() || roster.liveness(seen.get()) != WorkerRoster.Liveness.GONE
                || !t.taskId().equals(seen.get().status().getCurrentTaskId()) || !book.lost(t, last)) {
            return false;
        }
        String silent = last + "'s heartbeats stopped " + roster.silentMillis(seen.get()) + " ms ago while it held the "
                + "task";
        String to = reassigner.reassign(t, last);
        if (to != null) {
            events.emit(EventType.REASSIGNED, t.taskId(), t.deadline(), t.partition(), to, silent
                    + "; published again for " + to);
            return true;
        }
        if (proveLocally(t, silent + "; no idle live worker to take it")) {
            events.emit(EventType.REASSIGNED, t.taskId(), t.deadline(), t.partition(), LOCAL_WORKER, silent
                    + "; proven by the miner, no idle live worker to take it");
            return true;
        }
        return false;
    }

    /** A winning task was just published: with no idle live winning worker, prove it now rather than wait. */
    public void winningPublished(TaskRecord t, GroupView view) {
        boolean reachable = fleetReachable.getAsBoolean();
        boolean idle = reachable && view.hasLiveConsumer()
                && view.liveWorkers().stream().anyMatch(w -> w.getState() == WorkerState.IDLE);
        if (!idle) {
            proveLocally(t, !reachable ? "the fleet is unreachable" : view.liveWorkers().isEmpty()
                    ? "no live winning worker" : "every winning worker is busy");
        }
    }

    /** A result for {@code t} was refused: prove it here. */
    public void reprove(TaskRecord t, String why) {
        proveLocally(t, "result refused: " + why);
    }

    /** @return whether local proving of {@code t} started */
    private boolean proveLocally(TaskRecord t, String why) {
        if (prover == null || gatherer == null || !book.takeLocal(t)) {
            return false;
        }
        if (t.localAttempts() > 2) {
            book.localFailed(t, "local proving failed twice; waiting for a worker");
            return false;
        }
        events.emit(EventType.STARTED, t.taskId(), t.deadline(), t.partition(), LOCAL_WORKER, why);
        threads.get(t.kind()).execute(() -> {
            try {
                Answer a = prover.prove(t);
                gatherer.handle(a);
                if (t.isOpen()) {
                    book.localFailed(t, "local proof not accepted: " + t.lastProblem());
                }
            } catch (RuntimeException e) {
                log.error("local proving of {} failed", t.taskId(), e);
                book.localFailed(t, "local proving failed: " + e.getMessage());
            }
        });
        return true;
    }

    private static String names(List<WorkerStatus> workers) {
        return String.join(", ", workers.stream().map(WorkerStatus::getWorkerId).toList());
    }

    @Override
    public void close() {
        threads.values().forEach(ExecutorService::shutdownNow);
    }
}
