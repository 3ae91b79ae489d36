package io.postfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.worker.Fleet;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.status.ResourceProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostWorkerTest {

    private static Fleet fleet;
    private static CpuHashBackend backend;

    @BeforeAll
    static void fleet() throws Exception {
        fleet = Fleet.get();
        backend = new CpuHashBackend();
    }

    @AfterAll
    static void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private static PostWorker worker(Topics topics, String group, String id, Duration proveDelay,
                                     Duration maxPollInterval) {
        WorkerConfig c = WorkerConfig.of(PostKind.WINDOW, fleet.bootstrap(), fleet.registry(),
                        List.of(fleet.storage()))
                .withTopics(topics).withGroupId(group).withWorkerId(id).withProveDelay(proveDelay)
                .withMaxPollInterval(maxPollInterval).withHeartbeatInterval(Duration.ofMillis(500))
                .withCreateTopics(false);
        return new PostWorker(c, backend, new ResourceProbe(Optional.empty()));
    }

    private static PostWorker worker(Topics topics, String group, String id) {
        return worker(topics, group, id, Duration.ZERO, WorkerConfig.DEFAULT_MAX_POLL_INTERVAL);
    }

    @Test
    void aTaskIsProvenWithItsMissingSectorSkippedAndTheResultIsPublishedBeforeTheOffsetIsCommitted()
            throws Exception {
        Topics topics = fleet.topics("prove");
        WindowPostTask task = fleet.windowTask("w-1000-100-3-0", List.of(1L, 99L), Instant.now().plusSeconds(600));
        // a 1 KiB chunk size splits this small proof over several records, as a 32GiB partition's would be
        // the real clients report what they did to OrderRecorder: broker acknowledgements and successful commits
        WorkerConfig small = worker(topics, "g-prove", "prover-1").config().withMaxChunkBytes(1024)
                .withKafka(KafkaClientSettings.of(Map.of("interceptor.classes", OrderRecorder.class.getName()),
                        "this test"));
        OrderRecorder.EVENTS.clear();
        try (PostWorker w = new PostWorker(small, backend, new ResourceProbe(Optional.empty())).start()) {
            assertTrue(w.awaitAssignment(Duration.ofSeconds(30)));
            fleet.publish(topics.windowTasks(), task.getTaskId(), task);
            AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
            int chunks = (r.proof().length + 1023) / 1024;
            List<String> order = awaitCommit(topics.windowTasks(), Duration.ofSeconds(30));
            int commit = order.indexOf("committed " + topics.windowTasks());
            long ackedBefore = order.subList(0, commit).stream().filter(("acked " + topics.results())::equals)
                    .count();
            assertEquals(chunks, ackedBefore, "every result chunk acknowledged before the task's offset was "
                    + "committed: " + order);
            assertEquals(Outcome.PROVEN, r.header().getOutcome());
            assertEquals("prover-1", r.header().getWorkerId());
            assertEquals(1, r.header().getSkipped().size());
            assertEquals(99L, r.header().getSkipped().get(0).getSectorId());
            assertTrue(r.header().getSkipped().get(0).getReason().contains("not found in any storage path"),
                    r.header().getSkipped().get(0).getReason());
            assertInstanceOf(Verdict.Valid.class, fleet.verify(task, r.proof()));
            List<PostResult> records = fleet.resultRecords(topics, task.getTaskId(), Duration.ofMillis(300));
            assertEquals((r.proof().length + 1023) / 1024, records.size());
            assertTrue(records.size() > 1, "chunked");
        }
    }

    private static String scrape(int port) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String body = "";
        while (System.nanoTime() < end) {
            body = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("post_worker_task_duration")) {
                break;
            }
            Thread.sleep(50);
        }
        return body;
    }

    @Test
    void aWinningWorkerProvesAWinningTaskThatVerifies() throws Exception {
        Topics topics = fleet.topics("winning");
        var task = fleet.winningTask("n-1000-300", Instant.now().plusSeconds(20));
        WorkerConfig c = WorkerConfig.of(PostKind.WINNING, fleet.bootstrap(), fleet.registry(),
                        List.of(fleet.storage())).withTopics(topics).withGroupId("g-winning").withWorkerId("win-1")
                .withCreateTopics(false);
        try (PostWorker w = new PostWorker(c, backend, new ResourceProbe(Optional.empty())).start()) {
            fleet.publish(topics.winningTasks(), task.getTaskId(), task);
            AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
            assertEquals(Outcome.PROVEN, r.header().getOutcome());
            assertEquals(PostKind.WINNING, r.header().getKind());
            assertInstanceOf(Verdict.Valid.class, fleet.verifyWinning(task, r.proof()));
        }
    }

    /** What OrderRecorder saw, once the task topic's offset commit is among it. */
    private static List<String> awaitCommit(String taskTopic, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            List<String> seen = List.copyOf(OrderRecorder.EVENTS);
            if (seen.contains("committed " + taskTopic)) {
                return seen;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no commit of " + taskTopic + " within " + timeout + ": " + OrderRecorder.EVENTS);
    }

    @Test
    void aTaskPastItsDeadlineIsAnsweredExpiredWithoutProving() throws Exception {
        Topics topics = fleet.topics("expired");
        WindowPostTask task = fleet.windowTask("w-1000-50-1-0", List.of(1L, 2L), Instant.now().minusSeconds(1));
        WorkerConfig withMetrics = worker(topics, "g-expired", "late-1").config()
                .withMetricsPort(io.postfleet.testkit.EmbeddedKafka.freePort());
        try (PostWorker w = new PostWorker(withMetrics, backend, new ResourceProbe(Optional.empty())).start()) {
            fleet.publish(topics.windowTasks(), task.getTaskId(), task);
            AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
            assertEquals(Outcome.EXPIRED, r.header().getOutcome());
            assertEquals(0, r.proof().length);
            assertTrue(r.header().getError().contains("expired"), r.header().getError());
            String metrics = scrape(w.metricsPort());
            assertTrue(metrics.contains("post_worker_task_duration_seconds_count{kind=\"window\",outcome=\"expired\"} 1"),
                    metrics);
        }
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheWorkerGoesOnToTheNextTask() throws Exception {
        Topics topics = fleet.topics("poison");
        byte[] garbage = "not an avro task".getBytes(StandardCharsets.UTF_8);
        byte[] key = "bad-key".getBytes(StandardCharsets.UTF_8);
        WindowPostTask task = fleet.windowTask("w-1000-101-4-0", List.of(2L), Instant.now().plusSeconds(600));
        try (PostWorker w = worker(topics, "g-poison", "poison-1").start()) {
            assertTrue(w.awaitAssignment(Duration.ofSeconds(30)));
            // same key as the task so both land in one partition, poison first
            fleet.publishRaw(topics.windowTasks(), task.getTaskId().getBytes(StandardCharsets.UTF_8), garbage);
            fleet.publish(topics.windowTasks(), task.getTaskId(), task);
            fleet.publishRaw(topics.windowTasks(), key, garbage);
            List<ConsumerRecord<byte[], byte[]>> dlq = fleet.read(topics.deadLetters(), Duration.ofSeconds(60),
                    recs -> recs.size() >= 2);
            assertEquals(2, dlq.size());
            ConsumerRecord<byte[], byte[]> d = dlq.stream()
                    .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("bad-key")).findFirst().orElseThrow();
            assertArrayEquals(garbage, d.value());
            assertEquals(topics.windowTasks(), DeadLetters.header(d.headers(), DeadLetters.SOURCE_TOPIC));
            assertNotNull(DeadLetters.header(d.headers(), DeadLetters.SOURCE_OFFSET));
            assertNotNull(DeadLetters.header(d.headers(), DeadLetters.SOURCE_PARTITION));
            assertTrue(DeadLetters.header(d.headers(), DeadLetters.ERROR_CLASS).contains("."));
            assertEquals("poison-1", DeadLetters.header(d.headers(), DeadLetters.WORKER));
            AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
            assertEquals(Outcome.PROVEN, r.header().getOutcome());
            assertInstanceOf(Verdict.Valid.class, fleet.verify(task, r.proof()));
            assertEquals(null, w.failure());
        }
    }

    @Test
    void heartbeatsNameTheTaskInHandAndReturnToIdle() throws Exception {
        Topics topics = fleet.topics("heartbeat");
        WindowPostTask task = fleet.windowTask("w-1000-102-5-0", List.of(3L), Instant.now().plusSeconds(600));
        try (PostWorker w = worker(topics, "g-heartbeat", "beat-1", Duration.ofSeconds(2),
                WorkerConfig.DEFAULT_MAX_POLL_INTERVAL).start()) {
            assertTrue(w.awaitAssignment(Duration.ofSeconds(30)));
            fleet.publish(topics.windowTasks(), task.getTaskId(), task);
            WorkerStatus proving = fleet.heartbeat(topics, Duration.ofSeconds(30),
                    s -> s.getState() == WorkerState.PROVING).orElseThrow();
            assertEquals("beat-1", proving.getWorkerId());
            assertEquals(task.getTaskId(), proving.getCurrentTaskId());
            assertNotNull(proving.getCurrentTaskSince());
            assertEquals(PostKind.WINDOW, proving.getKind());
            assertTrue(proving.getCpuCores() > 0 && proving.getMemTotalBytes() > 0 && proving.getHeapMaxBytes() > 0);
            assertEquals(List.of(), proving.getGpus());
            assertEquals(backend.description(), proving.getHashBackend());
            WorkerStatus idle = fleet.heartbeat(topics, Duration.ofSeconds(30),
                    s -> s.getState() == WorkerState.IDLE && s.getTasksDone() == 1).orElseThrow();
            assertEquals(null, idle.getCurrentTaskId());
        }
        assertTrue(fleet.heartbeat(topics, Duration.ofSeconds(10), s -> s.getState() == WorkerState.STOPPING)
                .isPresent(), "a STOPPING heartbeat on close");
    }

    @Test
    void aProofLongerThanTheMaxPollIntervalCausesNoRebalanceAndNoDuplicate() throws Exception {
        Topics topics = fleet.topics("long");
        WindowPostTask task = fleet.windowTask("w-1000-103-6-0", List.of(1L, 2L), Instant.now().plusSeconds(600));
        Duration maxPoll = Duration.ofSeconds(1);
        try (PostWorker a = worker(topics, "g-long", "long-a", Duration.ofSeconds(4), maxPoll).start();
             PostWorker b = worker(topics, "g-long", "long-b", Duration.ofSeconds(4), maxPoll).start();
             Admin admin = fleet.admin()) {
            assertTrue(a.awaitAssignment(Duration.ofSeconds(30)) && b.awaitAssignment(Duration.ofSeconds(30)));
            awaitMembers(admin, "g-long", 2);
            Set<TopicPartition> before = Set.copyOf(union(a.assignment(), b.assignment()));
            assertEquals(16, before.size());
            fleet.publish(topics.windowTasks(), task.getTaskId(), task);
            AssembledResult r = fleet.result(topics, task.getTaskId(), Duration.ofSeconds(60)).orElseThrow();
            assertEquals(Outcome.PROVEN, r.header().getOutcome());
            // give a duplicate (a re-delivery after a rebalance) time to show up, then count
            List<PostResult> all = fleet.resultRecords(topics, task.getTaskId(), Duration.ofSeconds(2));
            assertEquals(1, all.size(), "one result record, no second proof");
            ConsumerGroupDescription g = admin.describeConsumerGroups(List.of("g-long")).all().get().get("g-long");
            assertEquals(2, g.members().size());
            assertEquals(before, Set.copyOf(union(a.assignment(), b.assignment())));
            assertEquals(1, a.activity().tasksDone() + b.activity().tasksDone());
        }
    }

    private static Set<TopicPartition> union(Set<TopicPartition> x, Set<TopicPartition> y) {
        var s = new java.util.HashSet<>(x);
        s.addAll(y);
        return s;
    }

    private static void awaitMembers(Admin admin, String group, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            var g = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            if (g.members().size() == n && g.members().stream().allMatch(m -> !m.assignment().topicPartitions()
                    .isEmpty())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("group " + group + " did not reach " + n + " members with partitions");
    }
}
