package io.postfleet.miner.lag;

import io.postfleet.proving.fleet.TopicTail;
import io.postfleet.schemas.WorkerStatus;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the workers topic into a {@link WorkerRoster} on its own thread. It starts at the end of the topic: the
 * miner trusts only heartbeats it sees arrive, so a worker that died before the miner started never looks live.
 */
public final class HeartbeatConsumer extends TopicTail<WorkerStatus> {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatConsumer.class);

    private final WorkerRoster roster;
    private final java.util.function.Consumer<WorkerStatus> listener;

    public HeartbeatConsumer(Consumer<String, WorkerStatus> consumer, String topic, WorkerRoster roster,
                             java.util.function.Consumer<WorkerStatus> listener) {
        super(consumer, topic, "heartbeat", "worker liveness is no longer tracked", "miner-heartbeats");
        this.roster = roster;
        this.listener = listener;
    }

    public HeartbeatConsumer start() {
        startReading();
        return this;
    }

    @Override
    protected void take(ConsumerRecord<String, WorkerStatus> r) {
        if (r.value() == null) {
            roster.forget(r.key());
            return;
        }
        roster.record(r.value());
        try {
            listener.accept(r.value());
        } catch (RuntimeException e) {
            log.warn("heartbeat listener failed for {}", r.key(), e);
        }
    }
}
