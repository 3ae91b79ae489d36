package io.postfleet.proving.fleet;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows a topic on its own thread, without a consumer group: every partition assigned, the start offsets resolved
 * at construction (so nothing published after it is missed), each record handed to {@link #take}. It starts at the
 * end (a tail: only what arrives from now), at the first record written at or after a given time (a restarted reader
 * taking back what it missed), or, for a compacted topic whose last record per key is the state, at the beginning. A record that cannot be decoded is skipped with a warning naming its offset; the reader goes on.
 */
public abstract class TopicTail<V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TopicTail.class);

    private final Consumer<String, V> consumer;
    private final String what;
    private final String whenStopped;
    private final Thread thread;
    private volatile boolean running = true;
    /** The topic's end offsets when reading began: reached, the reader has caught up with what was there. */
    private final Map<TopicPartition, Long> endAtStart;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    /** How long a lookup of offsets by time may take (the consumer's default API time-out). */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(60);

    /**
     * @param what        names the records in log lines ("heartbeat", "result")
     * @param whenStopped what the operator loses if the reader stops on an error, for that log line
     */
    protected TopicTail(Consumer<String, V> consumer, String topic, String what, String whenStopped,
                        String threadName) {
        this(consumer, topic, what, whenStopped, threadName, false);
    }

    /** As above; {@code fromBeginning} reads the topic's retained records first. */
    protected TopicTail(Consumer<String, V> consumer, String topic, String what, String whenStopped,
                        String threadName, boolean fromBeginning) {
        this(consumer, topic, what, whenStopped, threadName, fromBeginning ? Instant.EPOCH : null);
    }

    /**
     * As above, starting at the first record written at or after {@code since} in each partition (the end where
     * there is none); null starts at the end.
     */
    protected TopicTail(Consumer<String, V> consumer, String topic, String what, String whenStopped,
                        String threadName, Instant since) {
        this.consumer = consumer;
        this.what = what;
        this.whenStopped = whenStopped;
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        if (since == null) {
            consumer.seekToEnd(parts);
            parts.forEach(consumer::position); // fix the start now: a record published after this is never missed
            this.endAtStart = Map.of();
        } else if (since.equals(Instant.EPOCH)) {
            consumer.seekToBeginning(parts);
            parts.forEach(consumer::position);
            this.endAtStart = consumer.endOffsets(parts);
        } else {
            this.endAtStart = SeekByTime.seek(consumer, parts, since, LOOKUP_TIMEOUT);
        }
        if (endAtStart.isEmpty()) {
            caughtUp.countDown();
        }
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Waits until every record that was on the topic when reading began has been handed to {@link #take}.
     *
     * @return false when {@code limit} passed first
     */
    public boolean awaitCaughtUp(Duration limit) throws InterruptedException {
        return caughtUp.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Handles one record, on the reader's thread. */
    protected abstract void take(ConsumerRecord<String, V> record);

    /** Runs after each poll, on the reader's thread (housekeeping). */
    protected void afterPoll() {
    }

    /** Starts reading. */
    public void startReading() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, V> batch;
                try {
                    batch = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    log.warn("skipping an undecodable {} at {} offset {}: {}", what, e.topicPartition(), e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, V> r : batch) {
                    take(r);
                }
                if (caughtUp.getCount() > 0 && endAtStart.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.countDown();
                }
                afterPoll();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the {} reader stopped: {}", what, whenStopped, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
