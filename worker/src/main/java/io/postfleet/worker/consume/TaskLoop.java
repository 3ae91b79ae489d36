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
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.proving.prove.TaskAnswer;
import io.postfleet.proving.prove.TaskProver;
import io.postfleet.proving.task.PostTask;
import io.postfleet.schemas.PostResult;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.status.WorkerActivity;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's consumer thread: takes one task at a time (skipping those the miner has settled already), proves it on the prover thread while polling with every
 * partition paused, publishes the result and only then commits the task's offset. Everything that touches the
 * consumer happens here (it is not thread-safe); {@link #stop()} may be called from any thread.
 */
final class TaskLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TaskLoop.class);
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
    /** Pause before taking a record again whose result or dead letter could not be published. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final WorkerConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final AvroWire wire;
    private final TaskProver prover;
    private final ProofChunker chunker;
    private final DeadLetterReporter deadLetters;
    private final HeartbeatPublisher heartbeats;
    private final WorkerMeters meters;
    private final SettledTasks settled;
    private final AtomicReference<WorkerActivity> activity;
    private final Clock clock;
    private final ExecutorService proving;
    private final CountDownLatch assigned = new CountDownLatch(1);

    private volatile boolean running = true;
    private volatile boolean provingNow;
    private volatile Set<TopicPartition> assignment = Set.of();
    /** When the last task was answered (System.nanoTime), for {@link #AFTER_TASK_POLL}. */
    private long lastTaskDoneNanos = System.nanoTime() - AFTER_TASK_WINDOW.toNanos();

    TaskLoop(WorkerConfig config, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, AvroWire wire,
             TaskProver prover, DeadLetterReporter deadLetters, HeartbeatPublisher heartbeats, WorkerMeters meters,
             SettledTasks settled, AtomicReference<WorkerActivity> activity, Clock clock) {
        this.settled = settled;
        this.config = config;
        this.consumer = consumer;
        this.producer = producer;
        this.wire = wire;
        this.prover = prover;
        this.chunker = new ProofChunker(config.maxChunkBytes());
        this.deadLetters = deadLetters;
        this.heartbeats = heartbeats;
        this.meters = meters;
        this.activity = activity;
        this.clock = clock;
        this.proving = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "post-prove-" + config.workerId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Polls and proves until {@link #stop()}; errors other than a stop are thrown to the caller. */
    @Override
    public void run() {
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            proving.shutdownNow();
        }
    }

    void stop() {
        running = false;
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    boolean awaitAssignment(Duration timeout) throws InterruptedException {
        return assigned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PostTask task;
        try {
            task = PostTask.of(wire.decode(record.topic(), record.headers(), record.value()));
            if (task.kind() != config.kind()) {
                throw new IllegalArgumentException("a " + task.kind() + " task on the " + config.kind()
                        + " task topic " + config.taskTopic() + "; check the producer's topic names");
            }
        } catch (RuntimeException e) {
            if (deadLetters.report(record, e)) {
                commit(tp, record.offset());
            } else {
                retryLater(tp, record.offset());
            }
            return;
        }
        String settlement = settled.settlement(task.taskId());
        if (settlement != null) {
            LOG.info("task {} skipped: the miner has already settled it ({})", task.taskId(), settlement);
            meters.skippedSettled();
            commit(tp, record.offset());
            return;
        }
        Instant took = clock.instant();
        activity.updateAndGet(a -> a.proving(task.taskId(), took));
        heartbeats.now();
        TaskAnswer answer = prover.expired(task) ? prover.answer(task) : proveWhilePolling(task);
        if (answer == null) {
            return; // stopping: the task stays uncommitted and goes to another worker
        }
        List<PostResult> out = answer.records(chunker);
        if (!publishPatiently(task, out)) {
            // not published before the miner settled it or it fell due, or stopping: do not commit; the task is
            // taken again from its offset (and skipped when settled)
            retryLater(tp, record.offset());
            activity.updateAndGet(a -> WorkerActivity.idle(a.tasksDone()));
            heartbeats.now();
            return;
        }
        commit(tp, record.offset());
        resumeAll();
        Duration elapsed = Duration.between(took, clock.instant());
        meters.taskDone(answer.outcome(), elapsed);
        LOG.info("task {} {} in {} ms ({} result record(s), {} skipped sector(s))", task.taskId(), answer.outcome(),
                elapsed.toMillis(), out.size(), answer.header().getSkipped().size());
        activity.updateAndGet(WorkerActivity::done);
        lastTaskDoneNanos = System.nanoTime();
        heartbeats.now();
    }

    /**
     * Publishes the answer; when the broker or the schema registry cannot take it, keeps it and tries again every
     * {@link #RETRY_PAUSE}, polling with every partition paused so the worker stays in its group and its heartbeats
     * keep naming the task, until it is published, the miner has settled the task, the task is past due, or the
     * worker stops. A proof already made is not thrown away for an outage of a few seconds.
     *
     * @return whether the answer was published
     */
    private boolean publishPatiently(PostTask task, List<PostResult> out) throws InterruptedException {
        String failing = null;
        int attempts = 0;
        provingNow = true;
        consumer.pause(consumer.assignment());
        try {
            while (true) {
                attempts++;
                try {
                    publish(task.taskId(), out);
                    if (failing != null) {
                        LOG.info("result of {} published at attempt {}", task.taskId(), attempts);
                    }
                    return true;
                } catch (ExecutionException | RuntimeException e) {
                    Throwable why = e instanceof ExecutionException ? e.getCause() : e;
                    if (failing == null) {
                        meters.held(1);
                    }
                    if (!why.toString().equals(failing)) {
                        LOG.warn("result of {} not published ({}); it is kept and sent again every {} ms until the "
                                + "miner settles the task or it falls due", task.taskId(), why, RETRY_PAUSE.toMillis());
                        failing = why.toString();
                    }
                }
                if (!running || settled.settlement(task.taskId()) != null || prover.expired(task)) {
                    LOG.error("result of {} not published after {} attempts ({}); the task will be taken again if it "
                            + "is still open", task.taskId(), attempts, failing);
                    return false;
                }
                long until = System.nanoTime() + RETRY_PAUSE.toNanos();
                while (System.nanoTime() < until) {
                    ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ofMillis(100));
                    for (TopicPartition tp : stray.partitions()) {
                        consumer.seek(tp, stray.records(tp).get(0).offset());
                        consumer.pause(List.of(tp));
                    }
                }
            }
        } finally {
            provingNow = false;
            if (failing != null) {
                meters.held(-1);
            }
        }
    }

    /** Sends every chunk and waits until each is acknowledged. */
    private void publish(String taskId, List<PostResult> records) throws ExecutionException, InterruptedException {
        byte[] key = taskId.getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (PostResult r : records) {
            sent.add(producer.send(new ProducerRecord<>(config.topics().results(), key,
                    wire.encode(config.topics().results(), r))));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
    }

    private void retryLater(TopicPartition tp, long offset) throws InterruptedException {
        Thread.sleep(RETRY_PAUSE.toMillis());
        consumer.seek(tp, offset);
        resumeAll();
    }

    /** Runs the proof on the prover thread while the consumer keeps polling with every partition paused. */
    private TaskAnswer proveWhilePolling(PostTask task) throws InterruptedException {
        Future<TaskAnswer> f = proving.submit(() -> prover.answer(task));
        provingNow = true;
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
                } catch (TimeoutException stillProving) {
                    // fall through to the poll
                } catch (ExecutionException | CancellationException failed) {
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
            provingNow = false;
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            // TaskProver answers every failure of a proof itself; anything else is a defect of the worker
            throw new IllegalStateException("proving " + task.taskId() + " failed outside the prover", e.getCause());
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

    /** Pauses partitions assigned during a proof; notes when the partition in hand is taken away. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<TopicPartition> now = new HashSet<>(assignment);
            now.addAll(partitions);
            assignment = Set.copyOf(now);
            if (provingNow) {
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
