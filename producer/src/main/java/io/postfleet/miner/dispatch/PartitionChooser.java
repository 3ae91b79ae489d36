package io.postfleet.miner.dispatch;

import io.postfleet.miner.lag.GroupView;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses task-topic partitions for a batch of tasks from a {@link GroupView}: each task goes to the member with the
 * fewest of the miner's tasks waiting on its partitions, so a batch spreads over distinct members while there are
 * members left; among equals, idle live workers first, then busy ones, then members without a fresh heartbeat (just
 * joined, or killed and not yet timed out by the broker); within a member, its least-loaded partition. An empty group yields no choice (null): the producer's key hashing decides
 * and the fallback prover takes over if nobody comes.
 */
public final class PartitionChooser {

    /** @param outstanding tasks the miner published to each partition that have no accepted result yet */
    public List<Integer> choose(GroupView view, int tasks, Map<Integer, Integer> outstanding) {
        List<Integer> chosen = new ArrayList<>(tasks);
        if (view.partitionsByMember().isEmpty()) {
            for (int i = 0; i < tasks; i++) {
                chosen.add(null);
            }
            return chosen;
        }
        Map<String, WorkerStatus> live = new HashMap<>();
        for (WorkerStatus w : view.liveWorkers()) {
            live.put(w.getWorkerId(), w);
        }
        Map<Integer, Integer> load = new HashMap<>(outstanding);
        List<String> members = new ArrayList<>();
        for (var e : view.partitionsByMember().entrySet()) {
            if (!e.getValue().isEmpty()) {
                members.add(e.getKey());
            }
        }
        if (members.isEmpty()) {
            for (int i = 0; i < tasks; i++) {
                chosen.add(null);
            }
            return chosen;
        }
        for (int i = 0; i < tasks; i++) {
            // distinct members first (fewest of our tasks waiting), then idle before busy before heartbeat-less
            Comparator<String> order = Comparator
                    .comparingInt((String m) -> memberLoad(view.partitionsByMember().get(m), load))
                    .thenComparingInt(m -> rank(live.get(m), memberLoad(view.partitionsByMember().get(m), load)))
                    .thenComparing(m -> m);
            List<String> pool = new ArrayList<>(members);
            pool.sort(order);
            String member = pool.get(0);
            Set<Integer> parts = new TreeSet<>(view.partitionsByMember().get(member));
            int partition = parts.stream().min(Comparator.comparingInt((Integer p) -> load.getOrDefault(p, 0))
                    .thenComparingInt(p -> p)).orElseThrow();
            chosen.add(partition);
            load.merge(partition, 1, Integer::sum);
        }
        return chosen;
    }

    /** 0 idle, live and with nothing of ours waiting; 1 live but busy; 2 a member without a fresh heartbeat. */
    private static int rank(WorkerStatus w, int ourLoad) {
        if (w == null) {
            return 2;
        }
        return w.getState() == WorkerState.IDLE && ourLoad == 0 ? 0 : 1;
    }

    private static int memberLoad(Set<Integer> partitions, Map<Integer, Integer> load) {
        int sum = 0;
        for (int p : partitions) {
            sum += load.getOrDefault(p, 0);
        }
        return sum;
    }
}
