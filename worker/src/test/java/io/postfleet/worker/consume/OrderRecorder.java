package io.postfleet.worker.consume;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka client interceptor (producer and consumer) that notes, in the order the clients report them, every record
 * the broker acknowledged ({@code acked <topic>}) and every offset commit that succeeded ({@code committed <topic>}).
 * Installed through the worker's {@code interceptor.classes} client setting, so what it sees is what the real clients
 * did, not what the worker's code says it did.
 */
public final class OrderRecorder implements ProducerInterceptor<byte[], byte[]>,
        ConsumerInterceptor<byte[], byte[]> {

    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && metadata != null) {
            EVENTS.add("acked " + metadata.topic());
        }
    }

    @Override
    public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().forEach(tp -> EVENTS.add("committed " + tp.topic()));
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
