package io.postfleet.miner.lag;

import io.postfleet.schemas.WorkerStatus;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Reads the workers topic into a {@link WorkerRoster} on its own thread. It starts at the end of the topic: the
 * miner trusts only heartbeats it sees arrive, so a worker that died before the miner started never looks live.
 */
public final class HeartbeatConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatConsumer.class);

    private final Consumer<String, WorkerStatus> consumer;
    private final WorkerRoster roster;
    private final java.util.function.Consumer<WorkerStatus> listener;
    private final Thread thread;
    private volatile boolean running = true;

    public HeartbeatConsumer(Consumer<String, WorkerStatus> consumer, String topic, WorkerRoster roster,
                             java.util.function.Consumer<WorkerStatus> listener) {
        this.consumer = consumer;
        this.roster = roster;
        this.listener = listener;
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end now, before any heartbeat we must not miss
        this.thread = new Thread(this::run, "miner-heartbeats");
        this.thread.setDaemon(true);
    }

    public HeartbeatConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, WorkerStatus> batch;
                try {
                    batch = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    log.warn("skipping an undecodable heartbeat at {} offset {}: {}", e.topicPartition(), e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, WorkerStatus> r : batch) {
                    if (r.value() == null) {
                        roster.forget(r.key());
                        continue;
                    }
                    roster.record(r.value());
                    try {
                        listener.accept(r.value());
                    } catch (RuntimeException e) {
                        log.warn("heartbeat listener failed for {}", r.key(), e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the heartbeat reader stopped: worker liveness is no longer tracked", e);
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
