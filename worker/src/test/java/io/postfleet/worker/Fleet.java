package io.postfleet.worker;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.postfleet.messaging.chunk.AssembledResult;
import io.postfleet.messaging.chunk.ProofAssembler;
import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.schemas.Bytes32;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.TaskSector;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;
import io.postfleet.worker.consume.AvroWire;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the worker tests share: the JVM's broker, a schema registry process, 2KiB test sectors pledged once, and
 * helpers to publish tasks and read results, heartbeats and dead letters.
 */
public final class Fleet {

    static final long MINER = 1000;
    static final SectorSize SIZE = SectorSize.parse("2KiB");

    private static Fleet instance;

    final EmbeddedKafka kafka;
    final String registry;
    final Manifest sectors;
    final AvroWire wire;

    private Fleet(EmbeddedKafka kafka, String registry, Manifest sectors) {
        this.kafka = kafka;
        this.registry = registry;
        this.sectors = sectors;
        this.wire = new AvroWire(registry);
    }

    public static synchronized Fleet get() throws Exception {
        if (instance == null) {
            String registry = registryUrl();
            Path dir = Files.createTempDirectory("worker-sectors-");
            Manifest m = new TestSectors(new CpuHashBackend()).pledge(dir, SIZE, MINER, 4, 1, 42, false, n -> { });
            instance = new Fleet(EmbeddedKafka.shared(), registry, m);
        }
        return instance;
    }

    /**
     * The registry the tests run against: an already running one named by {@code -Dpostfleet.test.registry=URL},
     * else the project's registry process, shared by the test JVM and stopped when it ends.
     */
    static String registryUrl() {
        String given = System.getProperty("postfleet.test.registry");
        return given != null && !given.isBlank() ? given : SchemaRegistryProcess.shared().url();
    }

    /** The prefix {@link #topics} put before the default names: what {@code --topic-prefix} takes. */
    public static String prefixOf(Topics topics) {
        String window = topics.windowTasks();
        return window.substring(0, window.length() - Topics.DEFAULT_WINDOW_TASKS.length());
    }

    public Topics topics(String prefix) throws Exception {
        Topics t = Topics.defaults().withPrefix(prefix + ".");
        try (Admin admin = kafka.admin()) {
            new TopicChecker(admin).ensure(t.specs((short) 1));
        }
        return t;
    }

    /** A window task over {@code sectorIds} (ids absent from the storage are allowed: they must come back skipped). */
    public WindowPostTask windowTask(String taskId, List<Long> sectorIds, Instant closeTime) {
        List<TaskSector> ts = new ArrayList<>();
        for (long id : sectorIds) {
            byte[] commR = sectors.sectors().stream().filter(e -> e.id() == id).findFirst()
                    .map(Manifest.Entry::commR).orElse(fieldElement(id));
            ts.add(TaskSector.newBuilder().setSectorId(id).setCommR(new Bytes32(commR)).build());
        }
        return WindowPostTask.newBuilder()
                .setTaskId(taskId).setMinerId(MINER).setProverId(new Bytes32(fieldElement(MINER)))
                .setDeadline(3).setPartitionIndex(0).setChallengeEpoch(100).setOpenEpoch(120)
                .setRandomness(new Bytes32(randomness(taskId)))
                .setSectorSize(SIZE.label()).setApiVersion("v1_2")
                .setRegisteredProof(0).setSectors(ts).setCloseTime(closeTime).setPublishedAt(Instant.now())
                .build();
    }

    public String bootstrap() {
        return kafka.bootstrapServers();
    }

    public String registry() {
        return registry;
    }

    public Path storage() {
        return sectors.dir();
    }

    public Admin admin() {
        return kafka.admin();
    }

    /** A winning task over the pledged sectors, challenging the one the randomness selects. */
    public WinningPostTask winningTask(String taskId, Instant mustFinishBy) {
        byte[] randomness = randomness(taskId);
        byte[] prover = fieldElement(MINER);
        int index = ChallengeDeriver.winningSectorIndex(randomness, prover, sectors.sectors().size());
        Manifest.Entry e = sectors.sectors().get(index);
        return WinningPostTask.newBuilder().setTaskId(taskId).setMinerId(MINER).setProverId(new Bytes32(prover))
                .setEpoch(300).setRandomness(new Bytes32(randomness)).setSectorSize(SIZE.label())
                .setRegisteredProof(0).setEligibleCount(sectors.sectors().size()).setSectorIndex(index)
                .setSector(TaskSector.newBuilder().setSectorId(e.id()).setCommR(new Bytes32(e.commR())).build())
                .setMustFinishBy(mustFinishBy).setPublishedAt(Instant.now()).build();
    }

    public Verdict verifyWinning(WinningPostTask task, byte[] proofBundle) {
        SortedMap<Long, byte[]> eligible = new TreeMap<>();
        sectors.sectors().forEach(e -> eligible.put(e.id(), e.commR()));
        return new PostVerifier(new CpuHashBackend()).verifyWinning(SIZE, task.getRandomness().bytes(),
                task.getProverId().bytes(), eligible, ProofBundle.decode(proofBundle));
    }

    public static byte[] fieldElement(long v) {
        byte[] b = new byte[32];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    static byte[] randomness(String seed) {
        byte[] b = new byte[32];
        byte[] s = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (s[i % s.length] * 31 + i);
        }
        b[31] &= 0x3f;
        return b;
    }

    public void publish(String topic, String key, Object task) throws Exception {
        publishRaw(topic, key.getBytes(StandardCharsets.UTF_8), wire.encode(topic, task));
    }

    public void publishRaw(String topic, byte[] key, byte[] value) throws Exception {
        send(new ProducerRecord<>(topic, key, value));
    }

    /** Publishes to one partition, e.g. one a given worker holds. */
    public void publishTo(String topic, int partition, String key, Object task) throws Exception {
        send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), wire.encode(topic, task)));
    }

    private void send(ProducerRecord<byte[], byte[]> record) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    /** Reads a topic from the beginning (no group) until {@code done} holds for what was read, or the timeout. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, Duration timeout,
                                              Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < end) {
                c.poll(Duration.ofMillis(100)).forEach(out::add);
            }
        }
        return out;
    }

    /** The first complete result for {@code taskId} on the results topic. */
    public Optional<AssembledResult> result(Topics topics, String taskId, Duration timeout) {
        List<AssembledResult> found = new ArrayList<>();
        read(topics.results(), timeout, recs -> {
            found.clear();
            ProofAssembler a = new ProofAssembler();
            for (var r : recs) {
                PostResult pr = (PostResult) wire.decode(topics.results(), r.headers(), r.value());
                if (pr.getTaskId().equals(taskId)) {
                    a.accept(pr).ifPresent(found::add);
                }
            }
            return !found.isEmpty();
        });
        return found.stream().findFirst();
    }

    /** Every PostResult record on the results topic for {@code taskId}, read for {@code window}. */
    public List<PostResult> resultRecords(Topics topics, String taskId, Duration window) {
        List<PostResult> out = new ArrayList<>();
        for (var r : read(topics.results(), window, recs -> false)) {
            PostResult pr = (PostResult) wire.decode(topics.results(), r.headers(), r.value());
            if (pr.getTaskId().equals(taskId)) {
                out.add(pr);
            }
        }
        return out;
    }

    /** Heartbeats until {@code match} holds for one of them. */
    public Optional<WorkerStatus> heartbeat(Topics topics, Duration timeout, Predicate<WorkerStatus> match) {
        List<WorkerStatus> found = new ArrayList<>();
        read(topics.workers(), timeout, recs -> {
            found.clear();
            for (var r : recs) {
                WorkerStatus s = (WorkerStatus) wire.decode(topics.workers(), r.headers(), r.value());
                if (match.test(s)) {
                    found.add(s);
                }
            }
            return !found.isEmpty();
        });
        return found.stream().findFirst();
    }

    public Verdict verify(WindowPostTask task, byte[] proofBundle) {
        SortedMap<Long, byte[]> expected = new TreeMap<>();
        for (TaskSector s : task.getSectors()) {
            expected.put(s.getSectorId(), s.getCommR().bytes());
        }
        return new PostVerifier(new CpuHashBackend()).verifyWindow(SIZE, ApiVersion.parse(task.getApiVersion()),
                task.getPartitionIndex(), task.getRandomness().bytes(), expected, ProofBundle.decode(proofBundle));
    }
}
