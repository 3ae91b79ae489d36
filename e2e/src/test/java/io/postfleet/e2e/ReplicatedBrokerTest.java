package io.postfleet.e2e;

import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.chain.WindowSubmission;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet on a three-node KRaft cluster (replication factor 3, {@code min.insync.replicas=2}, producers with
 * {@code acks=all} and idempotence): the node leading the partition a window task went to, and as many of the
 * results topic's partitions as it leads, is stopped mid-deadline. Leadership moves, nothing is lost: every
 * partition's proof is accepted and the deadline submitted, without the miner proving it itself.
 */
class ReplicatedBrokerTest {

    @Test
    void theLeaderOfTheTaskAndResultPartitionsStopsMidDeadlineAndNothingIsLost() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3);
             MinerFleet fleet = new MinerFleet("replicated", 8, cluster.bootstrapServers());
             Admin setup = cluster.admin()) {
            // the topics with 3 replicas before any client makes them with its default
            new TopicChecker(setup).ensure(fleet.topics.specs((short) 3));
            fleet.worker(PostKind.WINDOW, "window-1", Duration.ofSeconds(2));
            fleet.worker(PostKind.WINDOW, "window-2", Duration.ofSeconds(2));
            MinerFleet.Settings s = fleet.settings();
            s.topicReplication = 3;
            s.epoch = Duration.ofMillis(300);
            s.forceLocalBefore = Duration.ofSeconds(1);
            MinerApp app = fleet.miner(s);
            FleetDeadlineTest.awaitLiveWorkers(app, 2);
            app.start();

            MinerEvent started = await(app, Duration.ofSeconds(40), "a worker starts a partition of deadline 0",
                    e -> e.type() == EventType.STARTED && e.deadline() == 0 && e.worker().startsWith("window-"));
            MinerEvent published = MinerFleet.events(app, EventType.PUBLISHED).stream()
                    .filter(e -> e.taskId().equals(started.taskId())).findFirst().orElseThrow();
            int taskPartition = (Integer) published.details().get("topic_partition");
            int victim;
            try (Admin admin = cluster.admin()) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(fleet.topics.windowTasks(),
                        fleet.topics.results())).allTopicNames().get(10, TimeUnit.SECONDS);
                TopicDescription tasks = topics.get(fleet.topics.windowTasks());
                assertEquals(3, tasks.partitions().get(0).replicas().size(), "the miner made the topics with 3 replicas");
                victim = tasks.partitions().get(taskPartition).leader().id();
                Map<Integer, Integer> resultLeaders = new HashMap<>();
                for (TopicPartitionInfo p : topics.get(fleet.topics.results()).partitions()) {
                    resultLeaders.merge(p.leader().id(), 1, Integer::sum);
                }
                System.out.println("replicated: stopping node " + victim + ", leader of " + fleet.topics.windowTasks()
                        + "-" + taskPartition + " and of " + resultLeaders.getOrDefault(victim, 0) + " of "
                        + topics.get(fleet.topics.results()).partitions().size() + " results partitions");
            }
            cluster.stop(victim);

            await(app, Duration.ofSeconds(60), "deadline 0 submitted", deadlineSubmitted(0));
            try (Admin admin = cluster.admin()) {
                TopicDescription tasks = admin.describeTopics(List.of(fleet.topics.windowTasks())).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(fleet.topics.windowTasks());
                assertTrue(tasks.partitions().get(taskPartition).leader().id() != victim, "leadership moved");
            }
            List<WindowSubmission> chain = app.chain().submissions();
            assertEquals(1, chain.size());
            assertEquals(List.of(0, 1, 2, 3), chain.get(0).partitions());
            List<MinerEvent> accepted = MinerFleet.events(app, EventType.ACCEPTED).stream()
                    .filter(e -> e.deadline() == 0).toList();
            assertEquals(4, accepted.size());
            assertTrue(accepted.stream().allMatch(e -> e.worker().startsWith("window-")),
                    "every partition proven by the fleet: " + accepted);
            assertTrue(MinerFleet.events(app, EventType.MISSED).isEmpty());
        }
    }
}
