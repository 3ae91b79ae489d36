package io.postfleet.worker.consume;

import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a record the worker cannot use to the dead-letter topic ({@link DeadLetters} builds the copy) and counts
 * it. The loop commits past the record only once the copy is acknowledged: a record is never in neither place.
 */
final class DeadLetterReporter {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReporter.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String workerId;
    private final WorkerMeters meters;

    DeadLetterReporter(Producer<byte[], byte[]> producer, String topic, String workerId, WorkerMeters meters) {
        this.producer = producer;
        this.topic = topic;
        this.workerId = workerId;
        this.meters = meters;
    }

    /** @return whether the copy was acknowledged; when not, the caller takes the record again later */
    boolean report(ConsumerRecord<byte[], byte[]> record, Exception why) throws InterruptedException {
        LOG.warn("record {}-{}@{} cannot be used ({}); sent to {}", record.topic(), record.partition(),
                record.offset(), why.toString(), topic);
        try {
            producer.send(DeadLetters.letter(topic, record, why, workerId)).get();
        } catch (ExecutionException notSent) {
            LOG.error("dead letter for {}-{}@{} not published ({}); retrying", record.topic(), record.partition(),
                    record.offset(), notSent.getCause().toString());
            return false;
        }
        meters.deadLetter();
        return true;
    }
}
