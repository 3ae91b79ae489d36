package io.postfleet.worker.consume;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead-letter copy of a record the worker could not use: the original key, value and headers unchanged,
 * plus headers saying why and where it came from, so an operator can fix and replay it.
 */
public final class DeadLetters {

    public static final String ERROR_CLASS = "postfleet.error.class";
    public static final String ERROR_MESSAGE = "postfleet.error.message";
    public static final String SOURCE_TOPIC = "postfleet.source.topic";
    public static final String SOURCE_PARTITION = "postfleet.source.partition";
    public static final String SOURCE_OFFSET = "postfleet.source.offset";
    public static final String WORKER = "postfleet.worker";

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> letter(String dlqTopic, ConsumerRecord<byte[], byte[]> record,
                                                        Throwable error, String workerId) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            headers.add(h);
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = error.getMessage() == null ? "" : error.getMessage();
        if (root != error && root.getMessage() != null) {
            message += " (cause: " + root.getClass().getName() + ": " + root.getMessage() + ")";
        }
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(message.length() > 2000 ? message.substring(0, 2000) : message));
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(record.offset())));
        headers.add(WORKER, utf8(workerId));
        return new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers);
    }

    public static String header(org.apache.kafka.common.header.Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
