package io.postfleet.miner.dispatch;

import io.postfleet.miner.lag.GroupView;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionChooserTest {

    private static WorkerStatus worker(String id, WorkerState state) {
        return WorkerStatus.newBuilder().setWorkerId(id).setKind(PostKind.WINDOW).setState(state).setHost("h").setPid(1)
                .setVersion("t").setStartedAt(Instant.now()).setSentAt(Instant.now()).setCpuCores(2).setCpuLoad(0)
                .setMemTotalBytes(1).setMemUsedBytes(1).build();
    }

    /** Four members with four partitions each, as a 16-partition topic splits over four workers. */
    private static Map<String, Set<Integer>> fourMembers() {
        return Map.of("a", Set.of(0, 1, 2, 3), "b", Set.of(4, 5, 6, 7), "c", Set.of(8, 9, 10, 11), "d", Set.of(12, 13, 14, 15));
    }

    private static String owner(Map<String, Set<Integer>> members, int partition) {
        return members.entrySet().stream().filter(e -> e.getValue().contains(partition)).findFirst().orElseThrow().getKey();
    }

    @Test
    void fourTasksGoToFourDistinctIdleMembers() {
        Map<String, Set<Integer>> members = fourMembers();
        List<WorkerStatus> live = List.of(worker("a", WorkerState.IDLE), worker("b", WorkerState.IDLE),
                worker("c", WorkerState.IDLE), worker("d", WorkerState.IDLE));
        List<Integer> chosen = new PartitionChooser().choose(new GroupView(PostKind.WINDOW, Instant.now(), 0, members, live), 4, Map.of());
        Set<String> owners = new HashSet<>();
        chosen.forEach(p -> owners.add(owner(members, p)));
        assertEquals(Set.of("a", "b", "c", "d"), owners);
    }

    @Test
    void idleMembersComeBeforeBusyOnesAndDeadOnesLast() {
        Map<String, Set<Integer>> members = fourMembers();
        List<WorkerStatus> live = List.of(worker("a", WorkerState.PROVING), worker("b", WorkerState.IDLE),
                worker("c", WorkerState.PROVING)); // d: member without heartbeat (killed, session not expired yet)
        List<Integer> chosen = new PartitionChooser().choose(new GroupView(PostKind.WINDOW, Instant.now(), 0, members, live), 4, Map.of());
        List<String> owners = new ArrayList<>();
        chosen.forEach(p -> owners.add(owner(members, p)));
        assertEquals("b", owners.get(0));
        assertEquals(Set.of("a", "c"), Set.copyOf(owners.subList(1, 3)));
        assertEquals("d", owners.get(3));
    }

    @Test
    void waitingTasksCountAsLoad() {
        Map<String, Set<Integer>> members = Map.of("a", Set.of(0, 1), "b", Set.of(2, 3));
        List<WorkerStatus> live = List.of(worker("a", WorkerState.IDLE), worker("b", WorkerState.IDLE));
        List<Integer> chosen = new PartitionChooser().choose(new GroupView(PostKind.WINDOW, Instant.now(), 1, members, live), 1, Map.of(0, 1));
        assertTrue(Set.of(2, 3).contains(chosen.get(0)), "a already has a task waiting on partition 0: " + chosen);
    }

    @Test
    void anEmptyGroupLeavesTheChoiceToKeyHashing() {
        List<Integer> chosen = new PartitionChooser().choose(GroupView.empty(PostKind.WINDOW), 3, Map.of());
        assertEquals(3, chosen.size());
        chosen.forEach(c -> assertNull(c));
    }
}
