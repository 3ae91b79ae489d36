package io.postfleet.miner.lag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LagMonitorTest {

    @Test
    void aGroupThatNeverCommittedCountsFromTheLogStartNotFromZero() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String topic = "lag-start.post.window.tasks";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, "k", "task " + i)).get();
                }
            }
            // what retention does: the first 7 records are gone, 3 remain for a group that never committed
            admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(7))).all().get();
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "lag-start-group");
            c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            // a member of the group that has not committed anything yet (a worker that just joined)
            try (KafkaConsumer<String, String> member = new KafkaConsumer<>(c, new StringDeserializer(),
                    new StringDeserializer())) {
                member.subscribe(List.of(topic));
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (member.assignment().isEmpty() && System.nanoTime() < end) {
                    member.poll(Duration.ofMillis(100));
                }
                LagMonitor monitor = new LagMonitor(admin, new WorkerRoster(Duration.ofSeconds(15),
                        Clock.systemUTC()), List.of(new LagMonitor.Watched(PostKind.WINDOW, "lag-start-group", topic)));
                monitor.refresh();
                assertEquals(1, monitor.view(PostKind.WINDOW).partitionsByMember().size(), "the member is seen");
                assertEquals(3, monitor.view(PostKind.WINDOW).lag());
            }
        }
    }
}
