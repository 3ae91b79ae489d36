package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.serde.AvroSerdes;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.TaskSector;
import io.postfleet.proving.task.WindowTask;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.proving.prove.TaskAnswer;
import io.postfleet.proving.prove.TaskProver;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.postfleet.e2e.MinerFleet.await;
import static io.postfleet.e2e.MinerFleet.deadlineSubmitted;
import static io.postfleet.e2e.MinerFleet.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rogue worker answers a deadline's two partitions with real proofs that are valid for something else: one over
 * sectors with the same ids but other comm_r, one over the right sectors but with other randomness. The miner checks
 * both against its own records, rejects them and proves the partitions itself; the deadline is submitted.
 */
class RogueResultTest {

    @Test
    void proofsValidForAnotherCommROrRandomnessAreRejectedAndReproven() throws Exception {
        try (MinerFleet fleet = new MinerFleet("rogue", 4);
             CpuHashBackend backend = new CpuHashBackend()) {
            Path elsewhere = Files.createTempDirectory("rogue-sectors-");
            Manifest otherSectors = new TestSectors(backend).pledge(elsewhere, SectorSize.KIB_2, MinerFleet.MINER, 4, 0, 99,
                    false, n -> { });
            PartitionProver prover = new PartitionProver(backend, ProverSettings.defaults());
            TaskProver otherCommR = new TaskProver(prover, new StoragePaths(List.of(elsewhere)), "rogue-1");
            TaskProver rightSectors = new TaskProver(prover, new StoragePaths(List.of(fleet.storage)), "rogue-1");

            MinerFleet.Settings s = fleet.settings();
            s.epoch = Duration.ofMillis(200);
            s.workerGrace = Duration.ofMinutes(5); // the miner waits for workers: only a refusal makes it prove
            MinerApp app = fleet.miner(s);

            try (KafkaConsumer<String, WindowPostTask> tasks = new KafkaConsumer<>(consumerConfig(fleet));
                 KafkaProducer<String, SpecificRecord> results = new KafkaProducer<>(producerConfig(fleet))) {
                List<TopicPartition> parts = tasks.partitionsFor(fleet.topics.windowTasks()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                tasks.assign(parts);
                tasks.seekToBeginning(parts);
                app.start();

                Map<Integer, WindowPostTask> byPartition = new TreeMap<>();
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (byPartition.size() < 2 && System.nanoTime() < end) {
                    for (ConsumerRecord<String, WindowPostTask> r : tasks.poll(Duration.ofMillis(200))) {
                        byPartition.put(r.value().getPartitionIndex(), r.value());
                    }
                }
                assertEquals(2, byPartition.size(), "both partitions of deadline 0 published");

                // partition 0: proven over other sectors with the same ids, for their comm_r (valid for those)
                WindowPostTask real0 = byPartition.get(0);
                List<TaskSector> forged = real0.getSectors().stream().map(ts -> TaskSector.newBuilder(ts)
                        .setCommR(new Bytes32(otherSectors.entry(ts.getSectorId()).commR())).build()).toList();
                TaskAnswer wrongCommR = otherCommR.answer(
                        WindowTask.of(WindowPostTask.newBuilder(real0).setSectors(forged).build()));
                assertTrue(wrongCommR.header().getSkipped().isEmpty(), "the forged proof covers every sector");
                WindowPostTask other = WindowPostTask.newBuilder(byPartition.get(1))
                        .setRandomness(new Bytes32(otherRandomness(byPartition.get(1).getRandomness().bytes()))).build();
                TaskAnswer wrongRandomness = rightSectors.answer(WindowTask.of(other));
                // the second answer is relabelled with the real task's id, as a confused or malicious worker might
                PostResult relabelled = PostResult.newBuilder(wrongRandomness.header())
                        .setTaskId(byPartition.get(1).getTaskId()).build();
                ProofChunker chunker = new ProofChunker();
                for (TaskAnswer a : List.of(wrongCommR, new TaskAnswer(relabelled, wrongRandomness.proof()))) {
                    for (PostResult r : a.records(chunker)) {
                        results.send(new ProducerRecord<>(fleet.topics.results(), r.getTaskId(), r)).get();
                    }
                }

                await(app, Duration.ofSeconds(30), "deadline 0 submitted", deadlineSubmitted(0));
            }
            List<MinerEvent> rejected = events(app, EventType.REJECTED);
            assertEquals(2, rejected.size(), rejected.toString());
            assertTrue(rejected.stream().allMatch(e -> "rogue-1".equals(e.worker())
                    && e.reason().startsWith("invalid proof")), rejected.toString());
            List<MinerEvent> accepted = events(app, EventType.ACCEPTED);
            assertEquals(2, accepted.size(), accepted.toString());
            assertTrue(accepted.stream().allMatch(e -> FallbackController.LOCAL_WORKER.equals(e.worker())),
                    "both partitions re-proven by the miner: " + accepted);
        }
    }

    private static byte[] otherRandomness(byte[] randomness) {
        byte[] r = randomness.clone();
        r[0] ^= 1;
        return r;
    }

    private static Map<String, Object> consumerConfig(MinerFleet fleet) {
        Map<String, Object> c = new HashMap<>(AvroSerdes.consumerConfig(fleet.registry));
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return c;
    }

    private static Map<String, Object> producerConfig(MinerFleet fleet) {
        Map<String, Object> c = new HashMap<>(AvroSerdes.producerConfig(fleet.registry));
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.bootstrap);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return c;
    }
}
