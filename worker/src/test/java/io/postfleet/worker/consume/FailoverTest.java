package io.postfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.worker.Fleet;
import io.postfleet.worker.cli.WorkerProcess;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.status.ResourceProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A worker process killed with SIGKILL in the middle of a proof: its task is proven by the surviving member once
 * the broker's session timeout (6 s) expires. Prints the measured time from kill to the survivor taking the task.
 */
class FailoverTest {

    @Test
    void aTaskHeldByAKilledWorkerIsProvenByAnotherMember() throws Exception {
        Fleet fleet = Fleet.get();
        Topics topics = fleet.topics("failover");
        String group = "g-failover";
        Path log = Files.createTempFile("killed-worker-", ".log");
        List<String> args = slowWorkerArgs(fleet, topics, group, "killed-1");
        WindowPostTask task = fleet.windowTask("w-1000-200-7-0", List.of(1L, 2L), Instant.now().plusSeconds(600));
        try (WorkerProcess killed = WorkerProcess.start(args, log);
             CpuHashBackend backend = new CpuHashBackend();
             Admin admin = fleet.admin()) {
            assertTrue(killed.awaitLog("started, consuming", Duration.ofSeconds(60)), killed.output());
            MemberDescription victim = awaitMember(admin, group, "killed-1-consumer");
            WorkerConfig c = WorkerConfig.of(PostKind.WINDOW, fleet.bootstrap(), fleet.registry(),
                            List.of(fleet.storage())).withTopics(topics).withGroupId(group).withWorkerId("survivor-1")
                    .withHeartbeatInterval(Duration.ofMillis(500)).withCreateTopics(false);
            try (PostWorker survivor = new PostWorker(c, backend, new ResourceProbe(Optional.empty())).start()) {
                assertTrue(survivor.awaitAssignment(Duration.ofSeconds(30)));
                victim = awaitMember(admin, group, "killed-1-consumer");
                TopicPartition held = victim.assignment().topicPartitions().iterator().next();
                fleet.publishTo(held.topic(), held.partition(), task.getTaskId(), task);
                fleet.heartbeat(topics, Duration.ofSeconds(30), s -> s.getWorkerId().equals("killed-1")
                        && s.getState() == WorkerState.PROVING && task.getTaskId().equals(s.getCurrentTaskId()))
                        .orElseThrow(() -> new AssertionError("killed-1 never took the task"));
                Instant kill = Instant.now();
                killed.kill();
                WorkerStatus taken = fleet.heartbeat(topics, Duration.ofSeconds(60), s -> s.getWorkerId()
                        .equals("survivor-1") && task.getTaskId().equals(s.getCurrentTaskId()))
                        .orElse(null);
                AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
                Instant done = Instant.now();
                assertEquals("survivor-1", r.header().getWorkerId());
                assertEquals(Outcome.PROVEN, r.header().getOutcome());
                assertInstanceOf(Verdict.Valid.class, fleet.verify(task, r.proof()));
                Duration toTaken = taken == null ? null : Duration.between(kill, taken.getCurrentTaskSince());
                System.out.println("failover: SIGKILL to task taken by survivor " + (toTaken == null ? "?"
                        : toTaken.toMillis() + " ms") + ", to result " + Duration.between(kill, done).toMillis()
                        + " ms");
                // the session timeout is 6 s; 30 s would mean failure detection is not working as configured
                assertTrue(Duration.between(kill, done).compareTo(Duration.ofSeconds(30)) < 0);
            }
        }
    }

    /** A window worker whose every proof takes two minutes more: it is always mid-proof when stopped. */
    private static List<String> slowWorkerArgs(Fleet fleet, Topics topics, String group, String id) {
        return new ArrayList<>(List.of("run", "--windowpost", "--bootstrap", fleet.bootstrap(),
                "--registry", fleet.registry(), "--storage", fleet.storage().toString(), "--worker-id", id,
                "--group", group, "--prove-delay", "120s", "--heartbeat-interval", "500ms", "--hash", "java",
                "--no-create-topics", "--topic-prefix", Fleet.prefixOf(topics)));
    }

    @Test
    void sigtermAbandonsTheProofSendsStoppingAndLeavesTheGroupSoTheTaskMovesAtOnce() throws Exception {
        Fleet fleet = Fleet.get();
        Topics topics = fleet.topics("sigterm");
        String group = "g-sigterm";
        Path log = Files.createTempFile("stopped-worker-", ".log");
        WindowPostTask task = fleet.windowTask("w-1000-201-8-0", List.of(2L, 3L), Instant.now().plusSeconds(600));
        try (WorkerProcess stopped = WorkerProcess.start(slowWorkerArgs(fleet, topics, group, "stopped-1"), log);
             CpuHashBackend backend = new CpuHashBackend();
             Admin admin = fleet.admin()) {
            assertTrue(stopped.awaitLog("started, consuming", Duration.ofSeconds(60)), stopped.output());
            awaitMember(admin, group, "stopped-1-consumer");
            WorkerConfig c = WorkerConfig.of(PostKind.WINDOW, fleet.bootstrap(), fleet.registry(),
                            List.of(fleet.storage())).withTopics(topics).withGroupId(group).withWorkerId("survivor-2")
                    .withHeartbeatInterval(Duration.ofMillis(500)).withCreateTopics(false);
            try (PostWorker survivor = new PostWorker(c, backend, new ResourceProbe(Optional.empty())).start()) {
                assertTrue(survivor.awaitAssignment(Duration.ofSeconds(30)));
                MemberDescription victim = awaitMember(admin, group, "stopped-1-consumer");
                TopicPartition held = victim.assignment().topicPartitions().iterator().next();
                fleet.publishTo(held.topic(), held.partition(), task.getTaskId(), task);
                fleet.heartbeat(topics, Duration.ofSeconds(30), s -> s.getWorkerId().equals("stopped-1")
                        && s.getState() == WorkerState.PROVING).orElseThrow();
                Instant term = Instant.now();
                int code = stopped.terminate(Duration.ofSeconds(20));
                // 143 = 128 + SIGTERM: the JVM's exit status after its shutdown hooks ran
                assertTrue(code == 0 || code == 143, "exit " + code + "\n" + stopped.output());
                assertTrue(stopped.output().contains("proof abandoned on stop"), stopped.output());
                Duration exit = Duration.between(term, Instant.now());
                assertTrue(fleet.heartbeat(topics, Duration.ofSeconds(10), s -> s.getWorkerId().equals("stopped-1")
                        && s.getState() == WorkerState.STOPPING).isPresent(), "STOPPING heartbeat");
                WorkerStatus taken = fleet.heartbeat(topics, Duration.ofSeconds(30), s -> s.getWorkerId()
                        .equals("survivor-2") && task.getTaskId().equals(s.getCurrentTaskId())).orElseThrow();
                AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
                assertEquals("survivor-2", r.header().getWorkerId());
                assertEquals(1, fleet.resultRecords(topics, task.getTaskId(), Duration.ofMillis(500)).size(),
                        "the abandoned proof published nothing");
                System.out.println("sigterm: exit after " + exit.toMillis() + " ms, task taken by survivor "
                        + Duration.between(term, taken.getCurrentTaskSince()).toMillis() + " ms after SIGTERM");
            }
        }
    }

    private static MemberDescription awaitMember(Admin admin, String group, String clientId) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            org.apache.kafka.clients.admin.ConsumerGroupDescription g;
            try {
                g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            } catch (java.util.concurrent.ExecutionException e) {
                Thread.sleep(100); // the group does not exist until its first member joins
                continue;
            }
            for (MemberDescription m : g.members()) {
                if (m.clientId().equals(clientId) && !m.assignment().topicPartitions().isEmpty()
                        && g.members().stream().allMatch(x -> !x.assignment().topicPartitions().isEmpty())) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no member " + clientId + " with partitions in " + group);
    }
}
