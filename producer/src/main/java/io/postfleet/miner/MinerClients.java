package io.postfleet.miner;

import io.postfleet.messaging.serde.AvroSerdes;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.WorkerStatus;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * The miner's Kafka clients, configured in one place: an idempotent task producer (acks=all, no linger: a winning
 * task must leave at once), readers of results and heartbeats that use no consumer group (the miner reads every
 * partition itself), and an Admin client for lag and topic checks. Values are Avro in Confluent wire format. Each
 * starts from the miner's Kafka client settings (security); what it needs to work as described is set over them.
 */
public final class MinerClients implements AutoCloseable {

    private final String bootstrap;
    private final String registryUrl;
    private final Topics topics;
    private final KafkaClientSettings kafka;
    private Admin admin;

    public MinerClients(String bootstrap, String registryUrl, String topicPrefix, KafkaClientSettings kafka) {
        this.bootstrap = bootstrap;
        this.registryUrl = registryUrl;
        this.topics = Topics.defaults().withPrefix(topicPrefix);
        this.kafka = kafka;
    }

    public Topics topics() {
        return topics;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> c = settings();
            c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(AdminClientConfig.CLIENT_ID_CONFIG, "post-miner-admin");
            admin = Admin.create(c);
        }
        return admin;
    }

    public Producer<String, SpecificRecord> taskProducer(String clientId) {
        Map<String, Object> c = settings();
        c.putAll(AvroSerdes.producerConfig(registryUrl));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // only the publishing thread waits on these; a broker that does not answer is known within seconds
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(c);
    }

    /** Plain-string records (the settled topic): the broker only, no registry. */
    public Producer<String, String> settlementProducer(String clientId) {
        Map<String, Object> c = settings();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10000);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(c);
    }

    public Consumer<String, PostResult> resultConsumer() {
        return new KafkaConsumer<>(readerConfig("post-miner-results"));
    }

    public Consumer<String, WorkerStatus> heartbeatConsumer() {
        return new KafkaConsumer<>(readerConfig("post-miner-heartbeats"));
    }

    private Map<String, Object> readerConfig(String clientId) {
        Map<String, Object> c = settings();
        c.putAll(AvroSerdes.consumerConfig(registryUrl));
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        return c;
    }

    /** The miner's Kafka client settings, for a client to add its own to. */
    private Map<String, Object> settings() {
        return new HashMap<>(kafka.values());
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
