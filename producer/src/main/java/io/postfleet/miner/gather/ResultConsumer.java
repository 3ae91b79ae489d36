package io.postfleet.miner.gather;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.chunk.ChunkIntegrityException;
import io.postfleet.messaging.chunk.ProofAssembler;
import io.postfleet.schemas.PostResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads the results topic on its own thread, reassembles chunked proofs (checking their SHA-256) and hands every
 * complete answer to the {@link ResultGatherer}. It reads from the end of the topic as it was at start-up: the miner
 * only gathers answers to tasks it published itself. Partial proofs older than {@code chunkTimeout} are dropped with
 * a warning (their task stays open and is proven again).
 */
public final class ResultConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);
    private static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(10);

    private final Consumer<String, PostResult> consumer;
    private final ResultGatherer gatherer;
    private final ProofAssembler assembler = new ProofAssembler();
    private final Thread thread;
    private volatile boolean running = true;

    public ResultConsumer(Consumer<String, PostResult> consumer, String topic, ResultGatherer gatherer) {
        this.consumer = consumer;
        this.gatherer = gatherer;
        List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // fix the start now: a result published after this is never missed
        this.thread = new Thread(this::run, "miner-results");
        this.thread.setDaemon(true);
    }

    public ResultConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, PostResult> batch;
                try {
                    batch = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    log.warn("skipping an undecodable result at {} offset {}: {}", e.topicPartition(), e.offset(),
                            e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, PostResult> r : batch) {
                    if (r.value() != null) {
                        take(r.value());
                    }
                }
                for (String dropped : assembler.evictOlderThan(CHUNK_TIMEOUT)) {
                    log.warn("dropped the incomplete chunks of {}: the rest never came", dropped);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("the result reader stopped: no worker result is gathered any more", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void take(PostResult chunk) {
        Optional<AssembledResult> whole;
        try {
            whole = assembler.accept(chunk);
        } catch (ChunkIntegrityException e) {
            log.warn("result of {} from {} is corrupt and is ignored: {}", chunk.getTaskId(), chunk.getWorkerId(),
                    e.getMessage());
            return;
        }
        whole.ifPresent(r -> gatherer.submit(Answer.from(r.header(), r.proof())));
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
