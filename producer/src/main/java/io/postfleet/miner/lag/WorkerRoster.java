package io.postfleet.miner.lag;

import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest heartbeat of every worker, as read from the workers topic. A worker is live while it has not said it is
 * stopping and its silence (by the miner's clock at receipt, so skewed worker clocks do not matter) is within the
 * {@link Silence} allowed. A worker no longer live is kept, shown as gone or stopped, until it has been silent
 * {@link #DROP_FACTOR} times that long; then it is dropped.
 */
public final class WorkerRoster {

    /** A silent worker is dropped from the roster after this many times the silence that made it gone. */
    public static final int DROP_FACTOR = 10;

    /** A heartbeat and when the miner received it. */
    public record Sighting(WorkerStatus status, long receivedAtMillis) {
    }

    /** What a worker seen is now. */
    public enum Liveness { LIVE, STOPPED, GONE }

    private final Map<String, Sighting> latest = new ConcurrentHashMap<>();
    private final Silence silence;
    private final Clock clock;

    public WorkerRoster(Silence silence, Clock clock) {
        this.silence = silence;
        this.clock = clock;
    }

    /** A roster whose workers are gone after a fixed silence. */
    public WorkerRoster(Duration staleAfter, Clock clock) {
        this(Silence.after(staleAfter), clock);
    }

    public void record(WorkerStatus status) {
        latest.put(status.getWorkerId(), new Sighting(status, clock.millis()));
    }

    /** Forgets a worker whose heartbeat record was deleted (a tombstone on the compacted topic). */
    public void forget(String workerId) {
        latest.remove(workerId);
    }

    /** How long {@code s}'s worker has been silent, by the miner's clock. */
    public long silentMillis(Sighting s) {
        return clock.millis() - s.receivedAtMillis();
    }

    /** The silence after which {@code s}'s worker is gone. */
    public long limitMillis(Sighting s) {
        return silence.limitMillis(s.status().getHeartbeatIntervalMs());
    }

    public Liveness liveness(Sighting s) {
        if (s.status().getState() == WorkerState.STOPPING) {
            return Liveness.STOPPED;
        }
        return silentMillis(s) <= limitMillis(s) ? Liveness.LIVE : Liveness.GONE;
    }

    public boolean isLive(Sighting s) {
        return liveness(s) == Liveness.LIVE;
    }

    /** Live workers of one kind, idle ones first, then by id. */
    public List<WorkerStatus> live(PostKind kind) {
        return latest.values().stream()
                .filter(s -> s.status().getKind() == kind && isLive(s))
                .map(Sighting::status)
                .sorted(Comparator.comparing((WorkerStatus w) -> w.getState() != WorkerState.IDLE)
                        .thenComparing(WorkerStatus::getWorkerId))
                .toList();
    }

    /**
     * Every worker seen and not yet dropped, by id, for {@code proving workers}; workers silent past
     * {@link #DROP_FACTOR} times their limit are dropped here.
     */
    public List<Sighting> all() {
        latest.values().removeIf(s -> !isLive(s) && silentMillis(s) > DROP_FACTOR * limitMillis(s));
        return latest.values().stream().sorted(Comparator.comparing(s -> s.status().getWorkerId())).toList();
    }

    /** The live worker that names {@code taskId} as the task in hand, if any. */
    public Optional<WorkerStatus> holderOf(String taskId) {
        return latest.values().stream()
                .filter(s -> isLive(s) && taskId.equals(s.status().getCurrentTaskId()))
                .map(Sighting::status)
                .findFirst();
    }

    public Optional<Sighting> get(String workerId) {
        return Optional.ofNullable(latest.get(workerId));
    }

    public Silence silence() {
        return silence;
    }
}
