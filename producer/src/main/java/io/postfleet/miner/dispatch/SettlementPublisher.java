package io.postfleet.miner.dispatch;

import java.util.concurrent.atomic.AtomicBoolean;

import io.postfleet.miner.deadline.TaskRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the fleet which tasks are settled (task id to {@code accepted} or {@code abandoned} on the compacted
 * settled topic), so a worker that comes back with a backlog skips them instead of proving them again. Plain
 * strings, no schema: it needs the broker only, and it sends from its own thread, never from the chain loop's. A
 * settlement that cannot be sent costs at most a worker's needless proof, so it is not retried.
 */
public final class SettlementPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SettlementPublisher.class);

    private final Producer<String, String> producer;
    private final String topic;
    private final PublishThread thread;
    private final AtomicBoolean failing = new AtomicBoolean();

    public SettlementPublisher(Producer<String, String> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
        this.thread = new PublishThread("miner-settled", producer);
    }

    /** Queues the settlement of {@code task}; returns at once. */
    public void settled(TaskRecord task, String how) {
        if (thread.executor.isShutdown()) {
            return; // the miner is stopping
        }
        thread.executor.execute(() -> {
            try {
                producer.send(new ProducerRecord<>(topic, task.taskId(), how), (md, err) -> noted(task, err));
            } catch (RuntimeException e) {
                noted(task, e);
            }
        });
    }

    private void noted(TaskRecord task, Exception err) {
        if (err == null) {
            if (failing.compareAndSet(true, false)) {
                log.info("settlements reach {} again", topic);
            }
        } else if (failing.compareAndSet(false, true)) {
            log.warn("settlement of {} not published to {} ({}); a worker may prove settled tasks again until the "
                    + "broker answers", task.taskId(), topic, err.toString());
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
