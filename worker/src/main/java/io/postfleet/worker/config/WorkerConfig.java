package io.postfleet.worker.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proving.fleet.ConsumerGroups;
import io.postfleet.proving.fleet.FleetKeys;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageKeys;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.host.HostCheck;
import io.postfleet.worker.status.GpuCores;

/**
 * Everything a worker process needs, in one place. Each setting is defined once below ({@link #DEFINITION}: flag,
 * environment variable, doc, default, check); {@code post-worker run} builds its options from those definitions and
 * this record from their resolved values ({@link #from}). Code that starts a worker in-process (tests, the
 * benchmark) starts from {@link #of} and the {@code with...} methods.
 */
public record WorkerConfig(PostKind kind, String bootstrap, String registryUrl, List<Path> storage, String workerId,
                           String hash, Duration heartbeatInterval, Duration proveDelay, Topics topics, String groupId,
                           String metricsHost, int metricsPort, Duration maxPollInterval, int maxChunkBytes,
                           boolean createTopics, short topicReplication, KafkaClientSettings kafka,
                           RemoteReadSettings remote, ServeSettings storageServe, GpuCores gpuCores,
                           SectorReads reads) {

    /** How often the consumer is polled while a proof runs, to stay in the group (partitions are paused). */
    public static final Duration POLL_WHILE_PROVING = Duration.ofMillis(200);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);

    public static final Key<Boolean> WINDOWPOST = Key.onOff("--windowpost", null, "prove windowPoSt partitions");
    public static final Key<Boolean> WINNINGPOST = Key.onOff("--winningpost", null, "prove winningPoSt");
    public static final Key<List<Path>> STORAGE = Key.list("--storage", "POSTFLEET_STORAGE", "PATH",
            "a Lotus storage path root holding sealed/ and cache/", Path::of);
    public static final Key<String> WORKER_ID = Key.text("--worker-id", "POSTFLEET_WORKER_ID", "ID", "",
            "this worker's name in heartbeats and results, and its Kafka client id (empty: <host>-<pid>)");
    public static final Key<Duration> HEARTBEAT_INTERVAL = Key.of("--heartbeat-interval",
            "POSTFLEET_HEARTBEAT_INTERVAL", "DURATION", "500ms", "how often a heartbeat is sent when nothing changes "
                    + "(the miner counts a worker gone after it misses 3, and hands its task on)",
            DurationConverter::parse).must(WorkerConfig::positive, "must be positive, e.g. 5s");
    public static final Key<Duration> PROVE_DELAY = Key.of("--prove-delay", null, "DURATION", "0ms",
            "TEST ONLY: extra time added to every proof", DurationConverter::parse)
            .must(d -> !d.isNegative(), "must be zero or positive");
    public static final Key<Duration> SECTOR_TIMEOUT = Key.of("--sector-timeout", "POSTFLEET_SECTOR_TIMEOUT",
            "DURATION", "10m", "longest one sector's challenge reads may take before the sector is skipped (reported "
                    + "as unreadable; the miner proves the partition where it holds the sector before declaring it "
                    + "faulty)", DurationConverter::parse).must(WorkerConfig::positive, "must be positive, e.g. 30s");
    public static final Key<String> READ_DELAY_FILE = Key.text("--read-delay-file", null, "FILE", "",
            "TEST ONLY: slow storage on demand: FILE holds lines 'SECTOR_ID DURATION'; reads of those sectors wait "
                    + "that long first (read again whenever FILE changes)");
    public static final Key<String> GROUP = Key.text("--group", "POSTFLEET_GROUP", "ID", "",
            "consumer group (empty: " + ConsumerGroups.WINDOW + " or " + ConsumerGroups.WINNING + ")");
    public static final Key<String> METRICS_HOST = Key.text("--metrics-host", "POSTFLEET_METRICS_HOST", "ADDRESS",
            "127.0.0.1", "address /metrics listens on (0.0.0.0 only inside a container network)");
    public static final Key<Integer> METRICS_PORT = Key.of("--metrics-port", "POSTFLEET_METRICS_PORT", "PORT", "0",
            "Prometheus /metrics port, 0 = off", Integer::parseInt)
            .must(p -> p >= 0 && p <= 65535, "0 (off) or a port 1..65535");
    public static final Key<Duration> MAX_POLL_INTERVAL = Key.of("--max-poll-interval", null, "DURATION", "5m",
            "the consumer's max.poll.interval.ms; the worker polls every 200 ms while proving, so this does not "
                    + "bound a proof's length", DurationConverter::parse)
            .must(d -> d.compareTo(POLL_WHILE_PROVING.multipliedBy(5)) >= 0, "at least 1s");
    public static final Key<Integer> MAX_CHUNK_BYTES = Key.of("--max-chunk-bytes", null, "N",
            String.valueOf(ProofChunker.DEFAULT_MAX_CHUNK_BYTES), "largest proof slice per result record",
            Integer::parseInt).must(n -> n >= 1024 && n <= 1_000_000,
            "1024..1000000 (below the broker's message.max.bytes with room for the record's other fields)");
    public static final Key<Boolean> NO_CREATE_TOPICS = Key.onOff("--no-create-topics", null,
            "do not create missing topics (existing ones are still verified)");
    public static final Key<Short> TOPIC_REPLICATION = Key.of("--topic-replication", null, "N", "1",
            "replication factor of topics created at start-up (3 in production)", Short::parseShort)
            .must(n -> n >= 1, "at least 1");
    public static final Key<String> STORAGE_LISTEN = StorageKeys.STORAGE_LISTEN;

    public static final Key<Long> MIN_OPEN_FILES = Key.of("--min-open-files", "POSTFLEET_MIN_OPEN_FILES", "N",
            String.valueOf(HostCheck.DEFAULT_MIN_OPEN_FILES), "refuse to start when the open-file limit, after the soft "
                    + "limit is raised to the hard one, is below N (0: never refuse); a 64GiB window partition holds "
                    + "up to 544 files open, serving storage as many again; Lotus recommends ulimit -n "
                    + HostCheck.LOTUS_OPEN_FILES, Long::parseLong).must(n -> n >= 0, "0 or more");
    public static final Key<GpuCores> CUSTOM_GPU = Key.env(GpuCores.VARIABLE, "MODEL-NAME:CORES", "",
            "bellperson's core count of a GPU model its table does not know, e.g. 'GeForce RTX 3080:8704' (several "
                    + "separated by commas); heartbeats report it as the device's cores", GpuCores::parse);
    public static final Key<Path> PARAMETER_CACHE = Key.env("FIL_PROOFS_PARAMETER_CACHE", "DIR",
            HostCheck.DEFAULT_PARAMETER_CACHE, "where rust-fil-proofs keeps the Groth16 parameters; vanilla proving "
                    + "needs none, a SNARK engine will", Path::of);

    /** Every setting of {@code post-worker run}, in the order usage and the start-up print list them. */
    public static final ConfigDef DEFINITION = new ConfigDef(List.of(WINDOWPOST, WINNINGPOST, FleetKeys.BOOTSTRAP,
            FleetKeys.REGISTRY, FleetKeys.KAFKA_CONFIG, FleetKeys.KAFKA_PROPERTY, STORAGE, WORKER_ID, FleetKeys.HASH,
            HEARTBEAT_INTERVAL, PROVE_DELAY, SECTOR_TIMEOUT, READ_DELAY_FILE, FleetKeys.TOPIC_PREFIX, GROUP, METRICS_HOST, METRICS_PORT,
            MAX_POLL_INTERVAL, MAX_CHUNK_BYTES, NO_CREATE_TOPICS, TOPIC_REPLICATION, RemoteReadSettings.REMOTE_STORAGE,
            RemoteReadSettings.STORAGE_TOKEN, RemoteReadSettings.REMOTE_PARALLEL, RemoteReadSettings.REMOTE_TIMEOUT,
            STORAGE_LISTEN, StorageKeys.PARALLEL_READS, StorageKeys.READ_TIMEOUT,
            StorageKeys.TOKEN_SECRET, StorageKeys.TOKEN_SECRET_ENV, MIN_OPEN_FILES, RemoteReadSettings.MINER_API,
            CUSTOM_GPU, PARAMETER_CACHE));

    public WorkerConfig {
        remote = remote == null ? RemoteReadSettings.defaults() : remote;
        gpuCores = gpuCores == null ? GpuCores.table() : gpuCores;
        storage = List.copyOf(storage);
        kafka = kafka == null ? KafkaClientSettings.none() : kafka;
        reads = reads == null ? SectorReads.defaults() : reads;
    }

    /** The configuration resolved values describe; the kind must be chosen exactly once. */
    public static WorkerConfig from(ConfigDef.Config c) {
        boolean window = c.get(WINDOWPOST);
        if (window == c.get(WINNINGPOST)) {
            throw new ConfigException(window
                    ? "--windowpost and --winningpost were both given: a worker proves one kind; start two workers"
                    : "choose the kind of work: --windowpost or --winningpost");
        }
        PostKind kind = window ? PostKind.WINDOW : PostKind.WINNING;
        KafkaClientSettings kafka = KafkaClientSettings.resolve(c, System.getenv());
        return new WorkerConfig(kind, c.get(FleetKeys.BOOTSTRAP), c.get(FleetKeys.REGISTRY), c.get(STORAGE),
                c.get(WORKER_ID).isEmpty() ? defaultWorkerId() : c.get(WORKER_ID), c.get(FleetKeys.HASH),
                c.get(HEARTBEAT_INTERVAL), c.get(PROVE_DELAY),
                Topics.defaults().withPrefix(c.get(FleetKeys.TOPIC_PREFIX)),
                c.get(GROUP).isEmpty() ? ConsumerGroups.defaultGroup(kind) : c.get(GROUP), c.get(METRICS_HOST),
                c.get(METRICS_PORT), c.get(MAX_POLL_INTERVAL), c.get(MAX_CHUNK_BYTES), !c.get(NO_CREATE_TOPICS),
                c.get(TOPIC_REPLICATION), kafka, RemoteReadSettings.from(c, System.getenv()),
                c.get(STORAGE_LISTEN).isBlank() ? null : StorageKeys.serveSettings(c,
                        ServeSettings.parseListen(c.get(STORAGE_LISTEN)), c.get(WORKER_ID).isEmpty()
                                ? defaultWorkerId() : c.get(WORKER_ID)), c.get(CUSTOM_GPU),
                new SectorReads(c.get(SECTOR_TIMEOUT), c.get(READ_DELAY_FILE).isBlank() ? null
                        : Path.of(c.get(READ_DELAY_FILE))));
    }

    /** A worker with every default: heartbeat 5 s, no delay, default topics and group, metrics off. */
    public static WorkerConfig of(PostKind kind, String bootstrap, String registryUrl, List<Path> storage) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, defaultWorkerId(), "auto",
                DEFAULT_HEARTBEAT_INTERVAL, Duration.ZERO, Topics.defaults(), ConsumerGroups.defaultGroup(kind),
                "127.0.0.1", 0, DEFAULT_MAX_POLL_INTERVAL, ProofChunker.DEFAULT_MAX_CHUNK_BYTES, true, (short) 1,
                KafkaClientSettings.none(), RemoteReadSettings.defaults(), null, GpuCores.table(),
                SectorReads.defaults());
    }

    /** {@code <host>-<pid>}. */
    public static String defaultWorkerId() {
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    public static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String n = ManagementFactory.getRuntimeMXBean().getName();
            return n.contains("@") ? n.substring(n.indexOf('@') + 1) : "localhost";
        }
    }

    /** The Kafka client settings (security), as a fresh Properties every client can add its own to. */
    public Properties kafkaProperties() {
        return kafka.properties();
    }

    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, id, hash, heartbeatInterval, proveDelay, topics,
                groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withGpu(String spec) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, spec, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withHeartbeatInterval(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, d, proveDelay, topics, groupId,
                metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withProveDelay(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, d, topics,
                groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withTopics(Topics t) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay, t,
                groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withGroupId(String g) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, g, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withMetricsPort(int p) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, p, maxPollInterval, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withMaxPollInterval(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, d, maxChunkBytes, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withMaxChunkBytes(int n) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, n, createTopics, topicReplication,
                kafka, remote, storageServe, gpuCores, reads);
    }

    public WorkerConfig withCreateTopics(boolean b) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, b, topicReplication, kafka,
                remote, storageServe, gpuCores, reads);
    }

    /** The same worker, its Kafka clients made with {@code settings} (security, ...). */
    public WorkerConfig withKafka(KafkaClientSettings settings) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, settings, remote, storageServe, gpuCores, reads);
    }

    /** The task topic this worker consumes. */
    public String taskTopic() {
        return topics.tasks(kind);
    }

    /** The first line of the start-up print: who this worker is and what it consumes. */
    public String headline() {
        return "post-worker " + workerId + " (" + kind.name().toLowerCase(Locale.ROOT) + "PoSt), group " + groupId
                + " on " + taskTopic() + (storage.isEmpty() ? "; no storage path: every sector will be skipped" : "");
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    public WorkerConfig withRemote(RemoteReadSettings r) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, kafka, r, storageServe, gpuCores, reads);
    }

    /** The same worker, with {@code cores} for the GPUs its heartbeats list. */
    public WorkerConfig withGpuCores(GpuCores cores) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, kafka, remote, storageServe, cores, reads);
    }

    /** The same worker, also serving its storage paths with {@code serve} (null: not). */
    public WorkerConfig withStorageServe(ServeSettings serve) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, kafka, remote, serve, gpuCores, reads);
    }

    /** The same worker, its sector reads given {@code r} (time-out, a drill's read delays). */
    public WorkerConfig withSectorReads(SectorReads r) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, hash, heartbeatInterval, proveDelay,
                topics, groupId, metricsHost, metricsPort, maxPollInterval, maxChunkBytes, createTopics,
                topicReplication, kafka, remote, storageServe, gpuCores, r);
    }
}
