package io.postfleet.worker.replay;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.chunk.ProofAssembler;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostResult;
import io.postfleet.worker.consume.AvroWire;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.fleet.SeekByTime;
import io.postfleet.proving.prove.TaskAnswer;
import io.postfleet.proving.prove.TaskProver;
import io.postfleet.proving.task.PostTask;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

/**
 * Reads a task topic from a point in time to its end as it is when the replay starts, without joining any consumer
 * group (the live fleet is not disturbed), proves each task again as of its publish time, and compares the proof
 * with the results recorded for that task on the results topic.
 */
public final class TaskReplay {

    /** What became of one replayed task. */
    public enum Verdict { SAME, DIFFERS, NOT_RECORDED, UNREADABLE }

    /** One replayed task: its id, the verdict, and a human line saying why. */
    public record Line(String taskId, Verdict verdict, String detail) {
    }

    private final String bootstrap;
    private final KafkaClientSettings kafka;
    private final AvroWire wire;
    private final PartitionProver prover;
    private final StoragePaths storage;

    /** @param kafka the Kafka client settings (security) of the reader */
    public TaskReplay(String bootstrap, KafkaClientSettings kafka, AvroWire wire, PartitionProver prover,
                      StoragePaths storage) {
        this.bootstrap = bootstrap;
        this.kafka = kafka;
        this.wire = wire;
        this.prover = prover;
        this.storage = storage;
    }

    /**
     * @param taskTopic    the window or winning task topic
     * @param resultsTopic where the fleet's results were recorded
     * @param from         replay tasks published at or after this time
     * @param each         told about every task as it is replayed
     */
    public List<Line> replay(String taskTopic, String resultsTopic, Instant from, BiConsumer<Integer, Line> each)
            throws InterruptedException {
        Map<String, List<String>> recorded = recordedProofs(resultsTopic, from);
        List<Line> lines = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : read(taskTopic, from)) {
            PostTask task;
            try {
                task = PostTask.of(wire.decode(r.topic(), r.headers(), r.value()));
            } catch (RuntimeException e) {
                Line l = new Line(r.topic() + "-" + r.partition() + "@" + r.offset(), Verdict.UNREADABLE,
                        "cannot be decoded (a worker sends it to the dead-letter topic): " + e.getMessage());
                lines.add(l);
                each.accept(lines.size(), l);
                continue;
            }
            Line l = replayOne(task, recorded);
            lines.add(l);
            each.accept(lines.size(), l);
        }
        return lines;
    }

    private Line replayOne(PostTask task, Map<String, List<String>> recorded) throws InterruptedException {
        String taskId = task.taskId();
        // as of its publish time, so the deadline check sees the task as it was then
        TaskProver p = new TaskProver(prover, storage, "replay", Duration.ZERO,
                Clock.fixed(task.publishedAt(), ZoneOffset.UTC));
        TaskAnswer answer = p.answer(task);
        if (answer.outcome() != Outcome.PROVEN) {
            return new Line(taskId, Verdict.DIFFERS, "replay did not prove it: " + answer.header().getError());
        }
        String sha = sha256(answer.bundle());
        List<String> shas = recorded.get(taskId);
        if (shas == null || shas.isEmpty()) {
            return new Line(taskId, Verdict.NOT_RECORDED, "proven again (" + answer.header().getSkipped().size()
                    + " skipped); no proven result was recorded for it");
        }
        if (shas.contains(sha)) {
            return new Line(taskId, Verdict.SAME, "proof identical to the recorded one (sha256 " + sha.substring(0, 16)
                    + "...)");
        }
        return new Line(taskId, Verdict.DIFFERS, "proof sha256 " + sha.substring(0, 16) + "... differs from the "
                + shas.size() + " recorded: the sector files, the prover or the backend changed");
    }

    /** Task id to the SHA-256 of every PROVEN bundle recorded for it. */
    private Map<String, List<String>> recordedProofs(String topic, Instant from) {
        Map<String, List<String>> out = new HashMap<>();
        ProofAssembler assembler = new ProofAssembler();
        for (ConsumerRecord<byte[], byte[]> r : read(topic, from)) {
            try {
                Object v = wire.decode(r.topic(), r.headers(), r.value());
                if (!(v instanceof PostResult chunk)) {
                    continue;
                }
                for (AssembledResult whole : assembler.accept(chunk).stream().toList()) {
                    if (whole.header().getOutcome() == Outcome.PROVEN) {
                        out.computeIfAbsent(whole.taskId(), k -> new ArrayList<>()).add(sha256(whole.proof()));
                    }
                }
            } catch (RuntimeException e) {
                // undecodable, corrupt or foreign: not a recorded proof
            }
        }
        return out;
    }

    /** Every record from {@code from} to the end offsets as of now, in publish order per partition. */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic, Instant from) {
        Properties p = kafka.properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "post-replay");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            Map<TopicPartition, Long> ends = SeekByTime.seek(c, parts, from, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
