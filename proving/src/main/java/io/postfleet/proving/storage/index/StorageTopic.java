package io.postfleet.proving.storage.index;

import io.postfleet.messaging.serde.AvroSerdes;
import io.postfleet.schemas.StorageAnnouncement;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The Kafka clients of the storage topic, configured in one place: a reader for the {@link SectorIndex} (no consumer
 * group: it reads the one partition from the beginning) and a producer for a {@link StorageAnnouncer}. Values are
 * Avro through the schema registry, as every record of the fleet.
 */
public final class StorageTopic {

    private StorageTopic() {
    }

    /** A reader for the index; {@code extra} are the process's own Kafka settings (security, ...). */
    public static Consumer<String, StorageAnnouncement> reader(String bootstrap, String registry, Properties extra,
                                                              String clientId) {
        Map<String, Object> c = new HashMap<>();
        extra.forEach((k, v) -> c.put(k.toString(), v));
        c.putAll(AvroSerdes.consumerConfig(registry));
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
        return new KafkaConsumer<>(c);
    }

    /** A producer for announcements: acknowledged by all replicas, never blocking its caller for long. */
    public static Producer<String, SpecificRecord> producer(String bootstrap, String registry, Properties extra,
                                                          String clientId) {
        Map<String, Object> c = new HashMap<>();
        extra.forEach((k, v) -> c.put(k.toString(), v));
        c.putAll(AvroSerdes.producerConfig(registry));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(c);
    }

    /** Sends announcements (and tombstones) to {@code topic} through {@code producer}. */
    public static StorageAnnouncer.Sender sender(Producer<String, SpecificRecord> producer, String topic) {
        return (nodeId, announcement) -> producer.send(new ProducerRecord<>(topic, nodeId, announcement));
    }
}
