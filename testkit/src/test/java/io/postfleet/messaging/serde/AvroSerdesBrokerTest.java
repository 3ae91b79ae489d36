package io.postfleet.messaging.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Every message type through a real broker with the producer and consumer settings of {@link AvroSerdes}. */
class AvroSerdesBrokerTest {

    @Test
    void everyMessageTypeCrossesTheBrokerAndComesBackEqual() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        String registry = SchemaRegistryProcess.shared().url();
        List<SpecificRecord> sent = List.of(SampleRecords.windowTask(), SampleRecords.winningTask(),
                SampleRecords.result(), SampleRecords.workerStatus());
        String run = UUID.randomUUID().toString();
        List<String> topics = new ArrayList<>();
        for (SpecificRecord r : sent) {
            topics.add("serde.broker." + r.getSchema().getName() + "." + run);
        }
        try (Admin admin = kafka.admin()) {
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }

        Map<String, Object> pc = new HashMap<>(AvroSerdes.producerConfig(registry));
        pc.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        pc.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(pc)) {
            for (int i = 0; i < sent.size(); i++) {
                producer.send(new ProducerRecord<>(topics.get(i), "key-" + i, sent.get(i))).get();
            }
        }

        Map<String, Object> cc = new HashMap<>(AvroSerdes.consumerConfig(registry));
        cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cc.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Object> received = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(cc)) {
            consumer.assign(topics.stream().map(t -> new TopicPartition(t, 0)).toList());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                    received.put(r.topic(), r.value());
                }
            }
        }
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i), received.get(topics.get(i)), topics.get(i));
        }
    }
}
