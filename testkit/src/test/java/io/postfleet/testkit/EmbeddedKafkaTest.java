package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    @Test
    void brokerOnLoopbackCarriesRecordsToAConsumerGroupWithTheFleetSettings() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"), kafka.bootstrapServers());
        String topic = "embedded-kafka-test";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            var config = admin.describeConfigs(Set.of(broker)).all().get().get(broker);
            assertEquals("6000", config.get("group.consumer.session.timeout.ms").value());
            assertEquals("1048588", config.get("message.max.bytes").value());
        }
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
            }
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "embedded-kafka-test");
        cp.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < 4 && System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        values.sort(String::compareTo);
        assertEquals(List.of("v0", "v1", "v2", "v3"), values);
    }

    @Test
    void twoBrokersInOneJvmGetDistinctPortsAndStopCleanly() {
        EmbeddedKafka a = EmbeddedKafka.start();
        java.nio.file.Path dir = a.logDir();
        try (a; EmbeddedKafka b = EmbeddedKafka.start()) {
            assertTrue(!a.bootstrapServers().equals(b.bootstrapServers()));
            assertTrue(dir.toFile().isDirectory());
        }
        assertTrue(!dir.toFile().exists(), "temporary log dir removed on close");
    }
}
