package io.postfleet.worker.consume;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.worker.config.ReadDelays;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.fleet.ConsumerGroups;
import io.postfleet.proving.prove.TaskProver;
import io.postfleet.proving.storage.index.Holders;
import io.postfleet.proving.storage.index.SectorIndex;
import io.postfleet.proving.storage.index.StorageAnnouncer;
import io.postfleet.proving.storage.index.StorageTopic;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.remote.RemoteVanillaReads;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;
import io.postfleet.proving.storage.serve.StorageKeys;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.metrics.MetricsEndpoint;
import io.postfleet.worker.status.ResourceProbe;
import io.postfleet.worker.status.WorkerActivity;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: one consumer in its kind's group, one proof at a time. This class wires the pieces and owns
 * their lifecycle; {@link TaskLoop} consumes and proves, {@link HeartbeatPublisher} reports, {@link WorkerMeters}
 * and {@link DeadLetterReporter} count and park what cannot be used.
 *
 * <p><b>Group and failover.</b> The consumer uses the KIP-848 group protocol ({@code group.protocol=consumer}):
 * the broker sets the session and heartbeat timing and assigns partitions (server-side {@code uniform} assignor).
 * The fleet's broker sets a 6 s session and 1 s heartbeat ({@code EmbeddedKafka}/{@code scripts/kafka}), so a
 * worker killed with SIGKILL loses its partitions about 6 s later and another member receives the uncommitted task
 * on its next heartbeat: about 7 s from kill to the task running elsewhere (target 15 s). A worker stopped with
 * SIGTERM leaves the group at once and its partitions move in about a heartbeat.
 *
 * <p><b>Long proofs.</b> {@code max.poll.records=1}; while a proof runs every assigned partition is paused (and any
 * partition assigned meanwhile too) and the consumer keeps polling every 200 ms, so a proof of any length never
 * exceeds {@code max.poll.interval.ms} and never triggers a rebalance. If the partition in hand is nonetheless moved
 * to another member (a new worker joined and the assignor moved it), both may prove the task; the miner keeps the
 * first valid result.
 *
 * <p><b>Order of effects.</b> The result is published (idempotent producer, {@code acks=all}, every chunk
 * acknowledged) before the task's offset is committed: a crash in between re-runs the task, never loses it. A task
 * past its deadline is answered EXPIRED without proving. A record that cannot be decoded is copied to the
 * dead-letter topic with error headers and committed past.
 *
 * <p><b>Stop.</b> {@link #close()} abandons a proof in progress (its task stays uncommitted and goes to another
 * worker), sends a STOPPING heartbeat and closes the consumer, which leaves the group. The whole stop takes at most
 * {@link #STOP_WITHIN}, broker or no broker: the consumer thread is interrupted when it does not leave its loop
 * within a second (it may wait on a result's acknowledgement), and each step after it gets a bounded share of what
 * is left. Whatever could not be said to a broker that is gone (the STOPPING heartbeat, leaving the group) is
 * dropped: the broker's session timeout takes the partitions away instead.
 */
public final class PostWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostWorker.class);
    private static final Duration SETTLED_CATCH_UP = Duration.ofSeconds(10);

    /** How long {@link #close()} takes at most; with the JVM's own exit a SIGTERM stops a worker within 5 s. */
    public static final Duration STOP_WITHIN = Duration.ofSeconds(4);
    /** How long the consumer thread has to leave its loop on its own before it is interrupted. */
    private static final Duration LOOP_EXIT = Duration.ofSeconds(1);
    /** The most the STOPPING heartbeat and the group's leave may each take out of {@link #STOP_WITHIN}. */
    private static final Duration STOPPING_HEARTBEAT = Duration.ofSeconds(1);
    private static final Duration LEAVE_GROUP = Duration.ofMillis(1500);

    private final WorkerConfig config;
    private final HashBackend backend;
    private final boolean ownsBackend;
    private final ResourceProbe probe;
    private final Clock clock;
    private final Instant startedAt;
    private final AtomicReference<WorkerActivity> activity = new AtomicReference<>(WorkerActivity.idle(0));
    private final PrometheusMeterRegistry meters = MetricsEndpoint.registry();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile Throwable failure;
    /** When {@link #close()} must be done (System.nanoTime), set by it; 0 while running. */
    private volatile long stopBy;
    /** Guards {@link #loopLeft}: close() interrupts the consumer thread only while it is still in the loop. */
    private final Object interruptible = new Object();
    private boolean loopLeft;
    private Thread thread;
    private TaskLoop loop;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private AvroWire wire;
    private HeartbeatPublisher heartbeats;
    private SettledTasks settled;
    private SectorIndex sectorIndex;
    private RemoteVanillaReads remoteReads;
    private PartitionProver partitionProver;
    private StorageEndpoint storageEndpoint;
    private StorageAnnouncer storageAnnouncer;
    private Producer<String, SpecificRecord> announcements;
    private MetricsEndpoint metricsEndpoint;

    /**
     * A worker proving on the backend {@code config.hash()} names, reporting this host's GPUs (NVML, else OpenCL) with
     * {@code config.gpuCores()}.
     */
    public PostWorker(WorkerConfig config) {
        this(config, HashBackends.open(config.hash()));
    }

    private PostWorker(WorkerConfig config, HashBackend backend) {
        this(config, backend, true, ResourceProbe.system(config.gpuCores(), backend.description()),
                Clock.systemUTC());
    }

    /**
     * A worker on a given backend (not closed by the worker) and resource probe, e.g. to share a backend between
     * several in-process workers in tests.
     */
    public PostWorker(WorkerConfig config, HashBackend backend, ResourceProbe probe) {
        this(config, backend, false, probe, Clock.systemUTC());
    }

    private PostWorker(WorkerConfig config, HashBackend backend, boolean ownsBackend, ResourceProbe probe,
                       Clock clock) {
        this.config = config;
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.probe = probe;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public WorkerConfig config() {
        return config;
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** Where hashing runs, as heartbeats report it. */
    public String hashBackend() {
        return backend.description();
    }

    /** What the heartbeats sample: host memory, CPU and the GPUs. */
    public ResourceProbe resources() {
        return probe;
    }

    /** What the worker is doing now. */
    public WorkerActivity activity() {
        return activity.get();
    }

    /** The task partitions this worker holds now. */
    public Set<TopicPartition> assignment() {
        return loop == null ? Set.of() : loop.assignment();
    }

    /** The port metrics are served on, 0 when off. */
    public int metricsPort() {
        return metricsEndpoint == null ? 0 : metricsEndpoint.port();
    }

    /** Connects, checks topics, joins the group and starts consuming; returns at once. */
    public synchronized PostWorker start() {
        if (thread != null) {
            throw new IllegalStateException("worker " + config.workerId() + " already started");
        }
        if (config.createTopics()) {
            Properties ap = config.kafkaProperties();
            ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
            try (Admin admin = Admin.create(ap)) {
                for (String line : new TopicChecker(admin).ensure(config.topics().specs(config.topicReplication()))) {
                    LOG.info("topic {}", line);
                }
            }
        }
        wire = new AvroWire(config.registryUrl());
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        WorkerMeters workerMeters = new WorkerMeters(meters, config.kind(), activity::get);
        heartbeats = new HeartbeatPublisher(config, producer, wire, probe, backend.description(), activity::get, clock,
                startedAt);
        // sectors no storage path of this worker holds are read from the nodes that announce them
        sectorIndex = new SectorIndex(StorageTopic.reader(config.bootstrap(), config.registryUrl(),
                config.kafkaProperties(), "post-worker-storage-" + config.workerId()), config.topics().storage(),
                new Holders(config.workerId())).start();
        RemoteReadSettings remote = config.remote();
        remoteReads = new RemoteVanillaReads(sectorIndex.holders(), remote.sources(), remote.token(),
                new PostVerifier(backend), remote.parallel(), remote.timeout(), clock, meters);
        partitionProver = new PartitionProver(backend, ProverSettings.defaults()
                .withSectorTimeout(config.reads().sectorTimeout())).withRemote(remoteReads);
        if (config.reads().readDelayFile() != null) {
            partitionProver.withReadDelay(new ReadDelays(config.reads().readDelayFile()));
        }
        TaskProver prover = new TaskProver(partitionProver, new StoragePaths(config.storage()), config.workerId(),
                config.proveDelay(), clock);
        settled = new SettledTasks(config.bootstrap(), config.kafkaProperties(), config.topics().settled(),
                config.workerId()).start();
        loop = new TaskLoop(config, consumer, producer, wire, prover,
                new DeadLetterReporter(producer, config.topics().deadLetters(), config.workerId(), workerMeters),
                heartbeats, workerMeters, settled, activity, clock);
        if (config.metricsPort() != 0) {
            metricsEndpoint = MetricsEndpoint.start(meters, config.metricsHost(), config.metricsPort());
        }
        if (config.storageServe() != null) {
            serveStorage(config.storageServe());
        }
        heartbeats.start();
        thread = new Thread(this::run, "post-worker-" + config.workerId());
        thread.start();
        return this;
    }

    /** Serves this worker's storage paths to other workers and announces them on the storage topic. */
    private void serveStorage(ServeSettings serve) {
        try {
            storageEndpoint = StorageEndpoint.serve(serve, new StoragePaths(config.storage()), backend, meters,
                    System.getenv(), note -> LOG.info("{}", note));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(StorageKeys.startProblem(WorkerConfig.STORAGE_LISTEN.flag(), serve, e),
                    e);
        }
        announcements = StorageTopic.producer(config.bootstrap(), config.registryUrl(), config.kafkaProperties(),
                "post-worker-storage-announce-" + config.workerId());
        storageAnnouncer = new StorageAnnouncer(StorageTopic.sender(announcements, config.topics().storage()),
                config.workerId(), storageEndpoint.baseUrl(), storageEndpoint.inventory(), Duration.ofSeconds(30),
                Duration.ofSeconds(10), clock).start();
        LOG.info("worker {} serves its storage at {}", config.workerId(), storageEndpoint.url());
    }

    /** The URL of this worker's storage endpoint, when it serves one. */
    public Optional<String> storageUrl() {
        return Optional.ofNullable(storageEndpoint).map(StorageEndpoint::url);
    }

    private void run() {
        try {
            // what was settled while this worker was away is known before its backlog is read
            if (!settled.awaitCaughtUp(SETTLED_CATCH_UP)) {
                LOG.warn("settled tasks not read within {} s; starting anyway", SETTLED_CATCH_UP.toSeconds());
            }
            loop.run();
        } catch (Throwable e) {
            if (stopBy != 0 && Thread.currentThread().isInterrupted()) {
                LOG.info("worker {} interrupted on stop ({})", config.workerId(), e.toString());
            } else {
                failure = e;
                LOG.error("worker {} stopped on an error: {}", config.workerId(), e.toString(), e);
            }
        } finally {
            synchronized (interruptible) {
                loopLeft = true;
                Thread.interrupted(); // an interrupt from close() has done its work; the closing below must not see it
            }
            activity.updateAndGet(WorkerActivity::stopping);
            if (!heartbeats.sendLast(min(STOPPING_HEARTBEAT, left()))) {
                LOG.warn("STOPPING heartbeat of {} not acknowledged in time; the broker's session timeout will "
                        + "take its partitions", config.workerId());
            }
            closeResources();
            stopped.countDown();
        }
    }

    /** What is left of the stop's time; {@link #STOP_WITHIN} while no stop was asked for (a fatal error). */
    private Duration left() {
        long by = stopBy;
        return by == 0 ? STOP_WITHIN : Duration.ofNanos(Math.max(0, by - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Waits until the group has given this worker at least one partition. */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return loop.awaitAssignment(timeout);
    }

    /** Waits until the worker has stopped (after {@link #close()} or a fatal error). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error that stopped the worker, if any. */
    public Throwable failure() {
        return failure;
    }

    /** The heartbeat this worker would send now. */
    public WorkerStatus status() {
        return heartbeats.status();
    }

    /** Stops the worker within {@link #STOP_WITHIN}; see the class comment. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (stopBy == 0) {
                stopBy = System.nanoTime() + STOP_WITHIN.toNanos();
            }
            t = thread;
            if (loop != null) {
                loop.stop();
            }
        }
        if (t == null) {
            closeResources();
            return;
        }
        try {
            if (!stopped.await(LOOP_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                synchronized (interruptible) {
                    if (!loopLeft) {
                        t.interrupt(); // blocked in the loop, e.g. on a result's acknowledgement
                    }
                }
            }
            if (!stopped.await(left().toMillis() + 100, TimeUnit.MILLISECONDS)) {
                LOG.warn("worker {} did not stop within {} s", config.workerId(), STOP_WITHIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties consumerProperties() {
        Properties p = config.kafkaProperties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, ConsumerGroups.consumerClientId(config.workerId()));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(config.maxPollInterval().toMillis()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    private Properties producerProperties() {
        Properties p = config.kafkaProperties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        return p;
    }

    private synchronized void closeResources() {
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (storageAnnouncer != null) {
            storageAnnouncer.close(min(Duration.ofSeconds(2), left()));
            storageAnnouncer = null;
            announcements.close(min(Duration.ofSeconds(2), left()));
            announcements = null;
        }
        if (storageEndpoint != null) {
            storageEndpoint.close();
            storageEndpoint = null;
        }
        if (sectorIndex != null) {
            sectorIndex.close();
            sectorIndex = null;
        }
        if (remoteReads != null) {
            remoteReads.close();
            remoteReads = null;
        }
        if (partitionProver != null) {
            partitionProver.close();
            partitionProver = null;
        }
        if (settled != null) {
            settled.close();
            settled = null;
        }
        if (consumer != null) {
            try {
                consumer.close(min(LEAVE_GROUP, left()));
            } catch (RuntimeException e) {
                LOG.warn("consumer of {} did not close cleanly: {}", config.workerId(), e.toString());
            }
            consumer = null;
        }
        if (producer != null) {
            producer.close(left());
            producer = null;
        }
        if (wire != null) {
            wire.close();
            wire = null;
        }
        if (metricsEndpoint != null) {
            metricsEndpoint.close();
            metricsEndpoint = null;
        }
        if (ownsBackend) {
            try {
                backend.close();
            } catch (Exception e) {
                LOG.warn("hash backend did not close cleanly: {}", e.toString());
            }
        }
    }
}
