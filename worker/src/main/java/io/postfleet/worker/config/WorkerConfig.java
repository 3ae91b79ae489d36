package io.postfleet.worker.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.schemas.PostKind;

/**
 * Everything a worker process needs, in one place. Built by {@code post-worker run} from flags and environment
 * variables, or directly by tests and by code that starts a worker in-process.
 *
 * @param kind              which tasks this worker proves: window or winning, never both (a winning task must never
 *                          wait behind a window proof)
 * @param bootstrap         Kafka bootstrap servers
 * @param registryUrl       schema registry base URL (Apicurio, e.g. {@code http://127.0.0.1:8080})
 * @param storage           Lotus storage path roots holding sealed/ cache/ (update/ update-cache/)
 * @param workerId          this worker's name in heartbeats and results; also the Kafka client id
 * @param gpu               hash backend spec {@code auto|cpu|opencl|opencl:N}
 * @param heartbeatInterval how often a WorkerStatus is sent when nothing changes
 * @param proveDelay        a pause added to every proof, for tests of long proofs only (ZERO in production)
 * @param topics            topic names
 * @param groupId           consumer group; one per kind so window and winning workers never share partitions
 * @param metricsPort       Prometheus endpoint on 127.0.0.1 (0 = off)
 * @param maxPollInterval   the consumer's max.poll.interval.ms; the worker polls every {@link #POLL_WHILE_PROVING}
 *                          while proving, so this does not bound a proof's length
 * @param maxChunkBytes     largest proof slice per result record
 * @param createTopics      create missing topics at start-up and verify existing ones
 * @param topicReplication  replication factor of topics this worker creates (1 on a single broker, 3 in production)
 */
public record WorkerConfig(PostKind kind, String bootstrap, String registryUrl, List<Path> storage, String workerId,
                           String gpu, Duration heartbeatInterval, Duration proveDelay, Topics topics, String groupId,
                           int metricsPort, Duration maxPollInterval, int maxChunkBytes, boolean createTopics,
                           short topicReplication) {

    /** How often the consumer is polled while a proof runs, to stay in the group (partitions are paused). */
    public static final Duration POLL_WHILE_PROVING = Duration.ofMillis(200);
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofMinutes(5);
    public static final String WINDOW_GROUP = "postfleet-window";
    public static final String WINNING_GROUP = "postfleet-winning";

    public WorkerConfig {
        if (topicReplication < 1) {
            throw new IllegalArgumentException("--topic-replication must be at least 1, got " + topicReplication);
        }
        Objects.requireNonNull(kind, "kind: choose --windowpost or --winningpost");
        requireText(bootstrap, "--bootstrap (Kafka bootstrap servers, e.g. 127.0.0.1:9092)");
        requireText(registryUrl, "--registry (schema registry URL, e.g. http://127.0.0.1:8080)");
        storage = List.copyOf(storage);
        requireText(workerId, "--worker-id");
        gpu = gpu == null || gpu.isBlank() ? "auto" : gpu;
        requirePositive(heartbeatInterval, "--heartbeat-interval");
        if (proveDelay == null || proveDelay.isNegative()) {
            throw new IllegalArgumentException("--prove-delay must be zero or positive, got " + proveDelay);
        }
        Objects.requireNonNull(topics, "topics");
        requireText(groupId, "--group");
        if (metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0 (off) or a port 1..65535, got " + metricsPort);
        }
        requirePositive(maxPollInterval, "max poll interval");
        if (maxPollInterval.compareTo(POLL_WHILE_PROVING.multipliedBy(5)) < 0) {
            throw new IllegalArgumentException("max poll interval " + maxPollInterval + " is too short: the worker "
                    + "polls every " + POLL_WHILE_PROVING.toMillis() + " ms while proving; use at least 1 s");
        }
        if (maxChunkBytes < 1024 || maxChunkBytes > 1_000_000) {
            throw new IllegalArgumentException("--max-chunk-bytes must be 1024..1000000 (below the broker's "
                    + "message.max.bytes with room for the record's other fields), got " + maxChunkBytes);
        }
    }

    public WorkerConfig withTopicReplication(short rf) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, groupId, metricsPort, maxPollInterval, maxChunkBytes, createTopics, rf);
    }

    /** A worker with every default: heartbeat 5 s, no delay, default topics and group, metrics off. */
    public static WorkerConfig of(PostKind kind, String bootstrap, String registryUrl, List<Path> storage) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, defaultWorkerId(), "auto",
                DEFAULT_HEARTBEAT_INTERVAL, Duration.ZERO, Topics.defaults(), defaultGroup(kind), 0,
                DEFAULT_MAX_POLL_INTERVAL, ProofChunker.DEFAULT_MAX_CHUNK_BYTES, true, (short) 1);
    }

    public static String defaultGroup(PostKind kind) {
        return kind == PostKind.WINDOW ? WINDOW_GROUP : WINNING_GROUP;
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

    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, id, gpu, heartbeatInterval, proveDelay, topics,
                groupId, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withGpu(String spec) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, spec, heartbeatInterval, proveDelay,
                topics, groupId, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withHeartbeatInterval(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, d, proveDelay, topics, groupId,
                metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withProveDelay(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, d, topics,
                groupId, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withTopics(Topics t) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay, t,
                groupId, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withGroupId(String g) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, g, metricsPort, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withMetricsPort(int p) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, groupId, p, maxPollInterval, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withMaxPollInterval(Duration d) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, groupId, metricsPort, d, maxChunkBytes, createTopics, topicReplication);
    }

    public WorkerConfig withMaxChunkBytes(int n) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, groupId, metricsPort, maxPollInterval, n, createTopics, topicReplication);
    }

    public WorkerConfig withCreateTopics(boolean b) {
        return new WorkerConfig(kind, bootstrap, registryUrl, storage, workerId, gpu, heartbeatInterval, proveDelay,
                topics, groupId, metricsPort, maxPollInterval, maxChunkBytes, b, topicReplication);
    }

    /**
     * The consumer's client id, {@code <workerId>-consumer}: how a member listed by
     * {@code Admin.describeConsumerGroups} is matched with this worker's heartbeats.
     */
    public String consumerClientId() {
        return consumerClientId(workerId);
    }

    public static String consumerClientId(String workerId) {
        return workerId + "-consumer";
    }

    /** The task topic this worker consumes. */
    public String taskTopic() {
        return topics.tasks(kind);
    }

    /** Multi-line description printed at start-up (nothing secret in it). */
    public String describe() {
        return String.join("\n",
                "post-worker " + workerId + " (" + kind.name().toLowerCase() + "PoSt)",
                "  bootstrap           " + bootstrap,
                "  registry            " + registryUrl,
                "  storage             " + (storage.isEmpty() ? "(none: every sector will be skipped)" : storage),
                "  gpu                 " + gpu,
                "  group               " + groupId + " on " + taskTopic() + " (group.protocol=consumer)",
                "  topics              results=" + topics.results() + " workers=" + topics.workers() + " dlq="
                        + topics.deadLetters(),
                "  heartbeat interval  " + heartbeatInterval.toMillis() + " ms",
                "  max poll interval   " + maxPollInterval.toMillis() + " ms",
                "  max chunk           " + maxChunkBytes + " bytes",
                "  prove delay         " + (proveDelay.isZero() ? "none" : proveDelay.toMillis() + " ms (test only)"),
                "  metrics             " + (metricsPort == 0 ? "off" : "http://127.0.0.1:" + metricsPort + "/metrics"),
                "  create topics       " + (createTopics ? "yes, replication " + topicReplication : "no"));
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
