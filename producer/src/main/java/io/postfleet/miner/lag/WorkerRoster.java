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
 * The latest heartbeat of every worker, as read from the workers topic. A worker is live while its last heartbeat is
 * younger than {@code staleAfter} (by the miner's clock at receipt, so skewed worker clocks do not matter) and it has
 * not said it is stopping.
 */
public final class WorkerRoster {

    /** A heartbeat and when the miner received it. */
    public record Sighting(WorkerStatus status, long receivedAtMillis) {
    }

    private final Map<String, Sighting> latest = new ConcurrentHashMap<>();
    private final Duration staleAfter;
    private final Clock clock;

    public WorkerRoster(Duration staleAfter, Clock clock) {
        this.staleAfter = staleAfter;
        this.clock = clock;
    }

    public void record(WorkerStatus status) {
        latest.put(status.getWorkerId(), new Sighting(status, clock.millis()));
    }

    /** Forgets a worker whose heartbeat record was deleted (a tombstone on the compacted topic). */
    public void forget(String workerId) {
        latest.remove(workerId);
    }

    public boolean isLive(Sighting s) {
        return s.status().getState() != WorkerState.STOPPING
                && clock.millis() - s.receivedAtMillis() <= staleAfter.toMillis();
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

    /** Every worker ever seen with its last heartbeat, for {@code proving workers}. */
    public List<Sighting> all() {
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
}
