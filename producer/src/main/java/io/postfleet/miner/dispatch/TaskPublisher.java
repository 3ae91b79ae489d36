package io.postfleet.miner.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.postfleet.miner.deadline.TaskRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes tasks from its own thread, so the miner's chain loop never waits on the broker or the schema registry:
 * {@link #publish} only queues. A task whose send fails (broker gone, registry gone) stays queued and is sent again
 * every {@link #RETRY_EVERY} while it is still open, so the fleet gets it back when it is reachable again; meanwhile
 * {@link #reachable()} is false and the miner proves locally.
 *
 * <p>Reachable means: the last send was acknowledged, no send failed since, and nothing has waited for its
 * acknowledgement longer than the ack time-out.
 */
public final class TaskPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskPublisher.class);
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    /** A task to send, and to which topic partition (null: by key). */
    private record Pending(String topic, TaskRecord task, Integer partition) {
    }

    private final Producer<String, SpecificRecord> producer;
    private final Duration ackTimeout;
    private final Clock clock;
    private final PublishThread thread;
    private final Deque<Pending> queue = new ArrayDeque<>();
    /** Sent and not yet acknowledged, with when each was sent. */
    private final List<Instant> unacked = new ArrayList<>();
    private Instant lastFailure;
    private Instant lastSuccess;
    private String lastProblem;

    /**
     * @param producer   the task producer (its own blocking is bounded by its max.block.ms; only this thread waits)
     * @param ackTimeout how long a sent task may wait for the broker's acknowledgement before the fleet counts as
     *                   unreachable
     */
    public TaskPublisher(Producer<String, SpecificRecord> producer, Duration ackTimeout, Clock clock) {
        this.producer = producer;
        this.ackTimeout = ackTimeout;
        this.clock = clock;
        this.thread = new PublishThread("miner-publish", producer);
        thread.executor.scheduleWithFixedDelay(this::retry, RETRY_EVERY.toMillis(), RETRY_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Queues {@code task} for {@code topic}; returns at once. */
    public void publish(String topic, TaskRecord task, Integer partition) {
        Pending p = new Pending(topic, task, partition);
        thread.executor.execute(() -> send(p));
    }

    /** Whether tasks reach the broker now (see the class comment). */
    public synchronized boolean reachable() {
        if (lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess))) {
            return false;
        }
        Instant now = clock.instant();
        return unacked.stream().noneMatch(sent -> now.isAfter(sent.plus(ackTimeout)));
    }

    /** Why tasks do not reach the broker, or null when they do. */
    public synchronized String problem() {
        return reachable() ? null : lastProblem != null ? lastProblem
                : "a task sent " + ackTimeout.toMillis() + " ms ago is not acknowledged yet";
    }

    /** Tasks waiting to be sent again. */
    public synchronized int queued() {
        return queue.size();
    }

    private void send(Pending p) {
        if (!p.task().isOpen()) {
            return; // settled meanwhile (proven locally, or its deadline closed): nothing to hand out
        }
        Instant sent = clock.instant();
        synchronized (this) {
            unacked.add(sent);
        }
        try {
            producer.send(new ProducerRecord<>(p.topic(), p.partition(), p.task().taskId(), p.task().task().avro()),
                    (md, err) -> acknowledged(p, sent, err));
        } catch (RuntimeException e) {
            // the registry or the broker's metadata did not answer: the record was never handed to the producer
            acknowledged(p, sent, e);
        }
    }

    private void acknowledged(Pending p, Instant sent, Exception err) {
        synchronized (this) {
            unacked.remove(sent);
            if (err == null) {
                lastSuccess = clock.instant();
                return;
            }
            boolean firstFailure = lastFailure == null || (lastSuccess != null && lastSuccess.isAfter(lastFailure));
            lastFailure = clock.instant();
            lastProblem = "publishing to " + p.topic() + " failed: " + err.getMessage();
            queue.add(p);
            if (firstFailure) {
                log.warn("cannot publish task {} to {} ({}); the miner proves locally and sends it again every {} ms "
                        + "while it is open", p.task().taskId(), p.topic(), err.toString(), RETRY_EVERY.toMillis());
            }
        }
    }

    private void retry() {
        List<Pending> again;
        synchronized (this) {
            again = new ArrayList<>(queue);
            queue.clear();
        }
        for (Pending p : again) {
            send(p);
        }
    }

    /** Stops sending and closes the producer (what is still queued is not sent). */
    @Override
    public void close() {
        thread.close();
    }
}
