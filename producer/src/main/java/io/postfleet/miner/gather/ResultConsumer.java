package io.postfleet.miner.gather;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.chunk.ChunkIntegrityException;
import io.postfleet.messaging.chunk.ProofAssembler;
import io.postfleet.proving.fleet.TopicTail;
import io.postfleet.schemas.PostResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads the results topic on its own thread, reassembles chunked proofs (checking their SHA-256) and hands every
 * complete answer to the {@link ResultGatherer}. It reads from the end of the topic as it was at start-up (the miner
 * only gathers answers to tasks it published itself) or, for a miner started again mid-deadline, from the results
 * written since that deadline's challenge, which answer the tasks it published before it stopped. A proof whose
 * chunks stopped coming ({@link #CHUNK_TIMEOUT} after its first chunk) is dropped with a warning: its task stays open
 * and is proven again.
 */
public final class ResultConsumer extends TopicTail<PostResult> {

    private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);
    static final Duration CHUNK_TIMEOUT = Duration.ofMinutes(10);

    private final ResultGatherer gatherer;
    private final ProofAssembler assembler = new ProofAssembler();

    /** @param since read results written at or after this time; null reads only what comes from now */
    public ResultConsumer(Consumer<String, PostResult> consumer, String topic, ResultGatherer gatherer,
                          java.time.Instant since) {
        super(consumer, topic, "result", "no worker result is gathered any more", "miner-results", since);
        this.gatherer = gatherer;
    }

    public ResultConsumer start() {
        startReading();
        return this;
    }

    @Override
    protected void take(ConsumerRecord<String, PostResult> r) {
        if (r.value() != null) {
            take(r.value());
        }
    }

    @Override
    protected void afterPoll() {
        for (String dropped : assembler.evictOlderThan(CHUNK_TIMEOUT)) {
            log.warn("dropped the incomplete chunks of {}: the rest never came", dropped);
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
        whole.ifPresent(r -> gatherer.submit(Answer.fromWorker(r.header(), r.proof())));
    }
}
