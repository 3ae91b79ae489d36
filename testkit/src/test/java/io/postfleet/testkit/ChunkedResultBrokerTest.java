package io.postfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.chunk.ProofAssembler;
import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A proof of several MB through the real broker at its default 1 MiB record limit: each chunk fits, and the
 * consumer side reassembles the exact bytes. (The 59 MB case is covered without a broker in ProofChunkingTest.)
 */
class ChunkedResultBrokerTest {

    @Test
    void aProofAboveTheRecordLimitCrossesTheBrokerInChunksAndReassembles() throws Exception {
        Topics topics = Topics.defaults().withPrefix("chunks.");
        EmbeddedKafka kafka = EmbeddedKafka.shared();
        try (Admin admin = kafka.admin()) {
            new TopicChecker(admin).ensure(topics.specs((short) 1));
        }
        byte[] proof = new byte[6_000_000];
        new Random(11).nextBytes(proof);
        PostResult header = PostResult.newBuilder().setTaskId("w-1000-20-3-0").setKind(PostKind.WINDOW)
                .setWorkerId("w1").setOutcome(Outcome.PROVEN).setSkipped(List.of())
                .setStartedAt(Instant.now()).setFinishedAt(Instant.now()).build();
        List<PostResult> chunks = new ProofChunker().split(header, proof);
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        pp.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        try (var producer = new KafkaProducer<>(pp, new StringSerializer(), new ByteArraySerializer())) {
            for (PostResult c : chunks) {
                producer.send(new ProducerRecord<>(topics.results(), c.getTaskId(), encode(c))).get();
            }
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "chunks-test");
        cp.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        ProofAssembler assembler = new ProofAssembler();
        Optional<AssembledResult> done = Optional.empty();
        try (var consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.results()));
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (done.isEmpty() && System.nanoTime() < end) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    Optional<AssembledResult> a = assembler.accept(decode(r.value()));
                    if (a.isPresent()) {
                        done = a;
                    }
                }
            }
        }
        assertArrayEquals(proof, done.orElseThrow().proof());
    }

    private static byte[] encode(PostResult r) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(PostResult.class).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static PostResult decode(byte[] b) throws Exception {
        return new SpecificDatumReader<>(PostResult.class).read(null, DecoderFactory.get().binaryDecoder(b, null));
    }
}
