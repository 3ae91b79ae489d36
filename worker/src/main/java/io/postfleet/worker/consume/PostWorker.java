package io.postfleet.worker.consume;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.PostResult;
import io.postfleet.schemas.WindowPostTask;
import io.postfleet.schemas.WinningPostTask;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.metrics.MetricsEndpoint;
import io.postfleet.worker.prove.TaskAnswer;
import io.postfleet.worker.prove.TaskProver;
import io.postfleet.worker.status.ResourceProbe;
import io.postfleet.worker.status.WorkerActivity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker: one consumer in its kind's group, one proof at a time.
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
 * worker), sends a STOPPING heartbeat and closes the consumer, which leaves the group.
 */
public final class PostWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostWorker.class);
    /** How long one idle poll waits. */
    private static final Duration IDLE_POLL = Duration.ofMillis(300);
    /**
     * Polls right after a task are short. With the KIP-848 consumer a task that arrives while the partitions are
     * paused, or just after they resume, is sometimes handed over only by the next poll, so it waited a whole idle
     * poll (measured: outliers of 308 ms with 300 ms polls, 105 ms with 100 ms polls, none over 45 ms with 25 ms).
     * Short polls all the time cost an idle worker 7.7% of a core instead of 2%, so they last only this long.
     */
    private static final Duration AFTER_TASK_POLL = Duration.ofMillis(25);
    private static final Duration AFTER_TASK_WINDOW = Duration.ofSeconds(2);
    private static final String VERSION = "0.1.0";

    private final WorkerConfig config;
    private final HashBackend backend;
    private final boolean ownsBackend;
    private final Clock clock;
    /** When the last task was answered (System.nanoTime), for {@link #AFTER_TASK_POLL}; only the consumer thread. */
    private long lastTaskDoneNanos = System.nanoTime() - AFTER_TASK_WINDOW.toNanos();
    private final AtomicReference<WorkerActivity> activity = new AtomicReference<>(WorkerActivity.idle(0));
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final ResourceProbe probe;
    private final PrometheusMeterRegistry meters = MetricsEndpoint.registry();
    private final Instant startedAt;

    private volatile boolean running;
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile Throwable failure;
    private Thread loop;
    private KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private AvroWire wire;
    private TaskProver prover;
    private ProofChunker chunker;
    private ExecutorService proving;
    private ScheduledExecutorService heartbeats;
    private MetricsEndpoint metricsEndpoint;
    private boolean provingNow;

    /** A worker proving on the backend {@code config.gpu()} names. */
    public PostWorker(WorkerConfig config) {
        this(config, openBackend(config.gpu()), true, ResourceProbe.system(), Clock.systemUTC());
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

    /**
     * Opens the hash backend for a {@code --gpu} spec ({@code auto|cpu|opencl|opencl:N}, blank: env POSTFLEET_GPU):
     * auto takes a GPU OpenCL device when there is one, else the CPU.
     */
    public static HashBackend openBackend(String spec) {
        return HashBackends.open(spec);
    }

    public WorkerConfig config() {
        return config;
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** What the worker is doing now. */
    public WorkerActivity activity() {
        return activity.get();
    }

    /** The task partitions this worker holds now. */
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /** The port metrics are served on, 0 when off. */
    public int metricsPort() {
        return metricsEndpoint == null ? 0 : metricsEndpoint.port();
    }

    /** Connects, checks topics, joins the group and starts consuming; returns at once. */
    public synchronized PostWorker start() {
        if (loop != null) {
            throw new IllegalStateException("worker " + config.workerId() + " already started");
        }
        if (config.createTopics()) {
            Properties ap = new Properties();
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
        prover = new TaskProver(new PartitionProver(backend, ProverSettings.defaults()),
                new StoragePaths(config.storage()), config.workerId(), config.proveDelay(), clock);
        chunker = new ProofChunker(config.maxChunkBytes());
        proving = Executors.newSingleThreadExecutor(r -> daemon(r, "post-prove-" + config.workerId()));
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "post-heartbeat-" + config.workerId()));
        meters.gauge("post.worker.proving", activity, a -> a.get().state() == WorkerState.PROVING ? 1 : 0);
        if (config.metricsPort() != 0) {
            metricsEndpoint = MetricsEndpoint.start(meters, config.metricsPort());
        }
        running = true;
        heartbeats.scheduleAtFixedRate(this::heartbeat, 0, config.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        loop = new Thread(this::consumeLoop, "post-worker-" + config.workerId());
        loop.start();
        return this;
    }

    /** Waits until the group has given this worker at least one partition. */
    public boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the worker has stopped (after {@link #close()} or a fatal error). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error that stopped the worker, if any. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = loop;
        }
        if (t == null) {
            closeResources();
            return;
        }
        try {
            if (!stopped.await(30, TimeUnit.SECONDS)) {
                LOG.warn("worker {} did not stop within 30 s", config.workerId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerClientId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, String.valueOf(config.maxPollInterval().toMillis()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576");
        return p;
    }

    private void consumeLoop() {
        try {
            consumer.subscribe(List.of(config.taskTopic()), new Rebalance());
            while (running) {
                boolean justAfterTask = System.nanoTime() - lastTaskDoneNanos < AFTER_TASK_WINDOW.toNanos();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(justAfterTask ? AFTER_TASK_POLL : IDLE_POLL);
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (!running) {
                        consumer.seek(new TopicPartition(r.topic(), r.partition()), r.offset());
                        break;
                    }
                    handle(r);
                }
            }
        } catch (Throwable e) {
            failure = e;
            LOG.error("worker {} stopped on an error: {}", config.workerId(), e.toString(), e);
        } finally {
            activity.updateAndGet(WorkerActivity::stopping);
            try {
                sendHeartbeat().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("STOPPING heartbeat of {} not sent: {}", config.workerId(), e.toString());
            }
            closeResources();
            stopped.countDown();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws Exception {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Object task;
        try {
            task = wire.decode(record.topic(), record.headers(), record.value());
            checkKind(task);
        } catch (Exception e) {
            LOG.warn("record {}-{}@{} cannot be used ({}); sent to {}", record.topic(), record.partition(),
                    record.offset(), e.toString(), config.topics().deadLetters());
            try {
                producer.send(DeadLetters.letter(config.topics().deadLetters(), record, e, config.workerId())).get();
            } catch (ExecutionException notSent) {
                // never commit past a record that is in neither place: take it again after a pause
                LOG.error("dead letter for {}-{}@{} not published ({}); retrying", record.topic(), record.partition(),
                        record.offset(), notSent.getCause().toString());
                consumer.seek(tp, record.offset());
                Thread.sleep(1000);
                return;
            }
            Counter.builder("post.tasks.dead.letters").tag("kind", kindTag()).register(meters).increment();
            commit(tp, record.offset());
            return;
        }
        String taskId = task instanceof WindowPostTask w ? w.getTaskId() : ((WinningPostTask) task).getTaskId();
        Instant took = clock.instant();
        activity.updateAndGet(a -> a.proving(taskId, took));
        heartbeatNow();
        TaskAnswer answer = prover.expired(task) ? prover.answer(task) : proveWhilePolling(task);
        if (answer == null) {
            return; // stopping: the task stays uncommitted and goes to another worker
        }
        List<PostResult> out = answer.records(chunker);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (PostResult r : out) {
                sent.add(producer.send(new ProducerRecord<>(config.topics().results(),
                        taskId.getBytes(StandardCharsets.UTF_8), wire.encode(config.topics().results(), r))));
            }
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }
        } catch (ExecutionException | RuntimeException e) {
            // not published (broker or schema registry unreachable): do not commit; take the task again from its
            // offset after a pause, and stay in the group
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            LOG.error("result of {} not published ({}); the task will be taken again", taskId, why.toString());
            Thread.sleep(1000);
            consumer.seek(tp, record.offset());
            resumeAll();
            activity.updateAndGet(a -> WorkerActivity.idle(a.tasksDone()));
            heartbeatNow();
            return;
        }
        commit(tp, record.offset());
        resumeAll();
        Timer.builder("post.task.duration").description("time from taking a task to its result being published")
                .tag("kind", kindTag()).tag("outcome", answer.outcome().name().toLowerCase())
                .register(meters).record(Duration.between(took, clock.instant()));
        LOG.info("task {} {} in {} ms ({} result record(s), {} skipped sector(s))", taskId, answer.outcome(),
                Duration.between(took, clock.instant()).toMillis(), out.size(), answer.header().getSkipped().size());
        activity.updateAndGet(WorkerActivity::done);
        lastTaskDoneNanos = System.nanoTime();
        heartbeatNow();
    }

    /** Runs the proof on the prover thread while the consumer keeps polling with every partition paused. */
    private TaskAnswer proveWhilePolling(Object task) throws Exception {
        Future<TaskAnswer> f = proving.submit(() -> prover.answer(task));
        synchronized (this) {
            provingNow = true;
        }
        consumer.pause(consumer.assignment());
        try {
            while (!f.isDone()) {
                if (!running) {
                    f.cancel(true);
                    LOG.info("proof abandoned on stop; the task stays uncommitted");
                    return null;
                }
                // wait on the proof itself, so its result leaves the moment it is ready; poll between waits so a
                // long proof never exceeds max.poll.interval.ms
                try {
                    f.get(WorkerConfig.POLL_WHILE_PROVING.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (java.util.concurrent.TimeoutException stillProving) {
                    // fall through to the poll
                } catch (ExecutionException | java.util.concurrent.CancellationException failed) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ZERO);
                // nothing should arrive while paused; if a partition slipped through, rewind it and pause it
                for (TopicPartition tp : stray.partitions()) {
                    consumer.seek(tp, stray.records(tp).get(0).offset());
                    consumer.pause(List.of(tp));
                }
            }
        } finally {
            synchronized (this) {
                provingNow = false;
            }
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private void resumeAll() {
        consumer.resume(consumer.paused());
    }

    private void commit(TopicPartition tp, long offset) {
        try {
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(offset + 1)));
        } catch (KafkaException e) {
            // the partition moved to another member meanwhile: it will answer the task too; the first result wins
            LOG.warn("commit of {}@{} failed ({}); another worker may answer this task again", tp, offset,
                    e.toString());
        }
    }

    private void checkKind(Object task) {
        PostKind kind = task instanceof WindowPostTask ? PostKind.WINDOW
                : task instanceof WinningPostTask ? PostKind.WINNING : null;
        if (kind == null) {
            throw new IllegalArgumentException("record is a " + (task == null ? "null" : task.getClass().getName())
                    + ", not a PoSt task");
        }
        if (kind != config.kind()) {
            throw new IllegalArgumentException("a " + kind + " task on the " + config.kind() + " task topic "
                    + config.taskTopic() + "; check the producer's topic names");
        }
    }

    private String kindTag() {
        return config.kind().name().toLowerCase();
    }

    private void heartbeatNow() {
        try {
            heartbeats.execute(this::heartbeat);
        } catch (RuntimeException e) {
            // scheduler already shut down on stop
        }
    }

    private void heartbeat() {
        try {
            sendHeartbeat();
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of {} not sent: {}", config.workerId(), e.toString());
        }
    }

    private Future<RecordMetadata> sendHeartbeat() {
        WorkerStatus status = status();
        return producer.send(new ProducerRecord<>(config.topics().workers(),
                config.workerId().getBytes(StandardCharsets.UTF_8), wire.encode(config.topics().workers(), status)));
    }

    /** The heartbeat this worker would send now. */
    public WorkerStatus status() {
        WorkerActivity a = activity.get();
        ResourceProbe.Sample s = probe.sample();
        return WorkerStatus.newBuilder()
                .setWorkerId(config.workerId())
                .setKind(config.kind())
                .setState(a.state())
                .setHost(WorkerConfig.hostName())
                .setPid(ProcessHandle.current().pid())
                .setVersion(VERSION)
                .setStartedAt(startedAt)
                .setSentAt(clock.instant())
                .setCurrentTaskId(a.taskId())
                .setCurrentTaskSince(a.since())
                .setTasksDone(a.tasksDone())
                .setCpuCores(s.cpuCores())
                .setCpuLoad(s.cpuLoad())
                .setMemTotalBytes(s.memTotalBytes())
                .setMemUsedBytes(s.memUsedBytes())
                .setHeapMaxBytes(s.heapMaxBytes())
                .setGpus(s.gpus())
                .setHashBackend(backend.description())
                .build();
    }

    private synchronized void closeResources() {
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (proving != null) {
            proving.shutdownNow();
        }
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("consumer of {} did not close cleanly: {}", config.workerId(), e.toString());
            }
            consumer = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
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

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Pauses partitions assigned during a proof; notes when the partition in hand is taken away. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> now = new HashSet<>(assignment);
            now.addAll(partitions);
            assignment = Set.copyOf(now);
            boolean busy;
            synchronized (PostWorker.this) {
                busy = provingNow;
            }
            if (busy) {
                consumer.pause(partitions);
            }
            if (!now.isEmpty()) {
                assigned.countDown();
            }
            LOG.info("worker {} assigned {}", config.workerId(), partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Set<TopicPartition> now = new HashSet<>(assignment);
            now.removeAll(partitions);
            assignment = Set.copyOf(now);
            if (!partitions.isEmpty()) {
                LOG.info("worker {} gave up {}", config.workerId(), partitions);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }
}
