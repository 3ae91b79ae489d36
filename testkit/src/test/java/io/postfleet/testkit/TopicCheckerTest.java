package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.TopicMismatchException;
import io.postfleet.messaging.topic.TopicSpec;
import io.postfleet.messaging.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class TopicCheckerTest {

    @Test
    void createsMissingTopicsWithTheirPartitionsAndConfigsThenAcceptsThem() throws Exception {
        Topics topics = Topics.defaults().withPrefix("checker1.");
        try (Admin admin = EmbeddedKafka.shared().admin()) {
            List<String> first = new TopicChecker(admin).ensure(topics.specs((short) 1));
            assertEquals(7, first.stream().filter(l -> l.startsWith("created ")).count(), first.toString());
            var d = admin.describeTopics(List.of(topics.windowTasks(), topics.workers())).allTopicNames().get();
            assertEquals(16, d.get(topics.windowTasks()).partitions().size());
            ConfigResource workers = new ConfigResource(ConfigResource.Type.TOPIC, topics.workers());
            assertEquals("compact", admin.describeConfigs(Set.of(workers)).all().get().get(workers)
                    .get("cleanup.policy").value());
            ConfigResource storage = new ConfigResource(ConfigResource.Type.TOPIC, topics.storage());
            assertEquals("compact", admin.describeConfigs(Set.of(storage)).all().get().get(storage)
                    .get("cleanup.policy").value(), "storage announcements are compacted on the node id");
            List<String> second = new TopicChecker(admin).ensure(topics.specs((short) 1));
            assertEquals(7, second.stream().filter(l -> l.startsWith("ok ")).count(), second.toString());
        }
    }

    @Test
    void refusesATopicWithTooFewPartitionsOrAWrongConfigNamingTheTopicAndTheFix() throws Exception {
        Topics topics = Topics.defaults().withPrefix("checker2.");
        try (Admin admin = EmbeddedKafka.shared().admin()) {
            admin.createTopics(List.of(
                    new NewTopic(topics.windowTasks(), 4, (short) 1),
                    new NewTopic(topics.workers(), 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                    .all().get();
            TopicMismatchException e = assertThrows(TopicMismatchException.class,
                    () -> new TopicChecker(admin).ensure(topics.specs((short) 1)));
            String m = e.getMessage();
            assertTrue(m.contains("topic checker2.post.window.tasks has 4 partitions, needs at least 16"), m);
            assertTrue(m.contains("--partitions 16"), m);
            assertTrue(m.contains("topic checker2.post.workers has cleanup.policy=delete, expected compact"), m);
        }
    }

    @Test
    void topicNamesAreValidatedAndDistinct() {
        assertThrows(IllegalArgumentException.class,
                () -> new Topics("a b", "w", "r", "s", "d", "x", "y"));
        assertThrows(IllegalArgumentException.class,
                () -> new Topics("a", "a", "r", "s", "d", "x", "y"));
        assertEquals(16, TopicSpec.tasks("x", 16, (short) 1).partitions());
    }
}
