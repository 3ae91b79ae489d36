package io.postfleet.miner.lag;

import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerStatus;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind's consumer group at one moment.
 *
 * @param lag                  records published but not yet committed by the group, over all task partitions
 * @param partitionsByMember   each member's client id (the worker id) with the task-topic partitions assigned to it
 * @param liveWorkers          workers of this kind whose heartbeats are fresh, idle first
 */
public record GroupView(PostKind kind, Instant at, long lag, Map<String, Set<Integer>> partitionsByMember,
                        List<WorkerStatus> liveWorkers) {

    public GroupView {
        partitionsByMember = Map.copyOf(partitionsByMember);
        liveWorkers = List.copyOf(liveWorkers);
    }

    public static GroupView empty(PostKind kind) {
        return new GroupView(kind, Instant.EPOCH, 0, Map.of(), List.of());
    }

    /**
     * Whether any worker consumes this kind: the group has members AND some worker of the kind sends fresh
     * heartbeats. A SIGKILLed worker stays a member until its session times out, but its heartbeats stop at once.
     */
    public boolean hasLiveConsumer() {
        return !partitionsByMember.isEmpty() && !liveWorkers.isEmpty();
    }
}
