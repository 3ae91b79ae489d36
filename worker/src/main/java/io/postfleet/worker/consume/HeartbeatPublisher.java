package io.postfleet.worker.consume;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.postfleet.cli.BuildVersion;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.status.ResourceProbe;
import io.postfleet.worker.status.WorkerActivity;
import io.postfleet.schemas.WorkerStatus;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the worker's {@link WorkerStatus} on the workers topic every heartbeat interval and at once whenever what it
 * is doing changes, from its own thread: a long proof or a slow poll never delays a heartbeat.
 */
final class HeartbeatPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatPublisher.class);

    private final WorkerConfig config;
    private final Producer<byte[], byte[]> producer;
    private final AvroWire wire;
    private final ResourceProbe probe;
    private final String backend;
    private final Supplier<WorkerActivity> activity;
    private final Clock clock;
    private final Instant startedAt;
    private final ScheduledExecutorService thread;
    /** The problem the last heartbeat failed on, null while they are sent; only the heartbeat thread uses it. */
    private String failing;

    HeartbeatPublisher(WorkerConfig config, Producer<byte[], byte[]> producer, AvroWire wire, ResourceProbe probe,
                       String backend, Supplier<WorkerActivity> activity, Clock clock, Instant startedAt) {
        this.config = config;
        this.producer = producer;
        this.wire = wire;
        this.probe = probe;
        this.backend = backend;
        this.activity = activity;
        this.clock = clock;
        this.startedAt = startedAt;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "post-heartbeat-" + config.workerId());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        thread.scheduleAtFixedRate(this::sendQuietly, 0, config.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Sends a heartbeat now, on the heartbeat thread. */
    void now() {
        try {
            thread.execute(this::sendQuietly);
        } catch (RuntimeException e) {
            // already closed on stop
        }
    }

    /**
     * Sends the last heartbeat (on stop) and waits at most {@code within} for the broker to acknowledge it. It is
     * sent from the heartbeat thread, so a send that blocks (no broker, no registry) costs the caller no more than
     * {@code within}; false when it was not acknowledged in time.
     */
    boolean sendLast(Duration within) {
        Future<RecordMetadata> acked;
        try {
            acked = thread.submit(() -> send().get());
        } catch (RuntimeException closed) {
            return false;
        }
        try {
            acked.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            acked.cancel(true);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Sends a heartbeat from the calling thread. */
    Future<RecordMetadata> send() {
        return producer.send(new ProducerRecord<>(config.topics().workers(),
                config.workerId().getBytes(StandardCharsets.UTF_8), wire.encode(config.topics().workers(), status())));
    }

    private void sendQuietly() {
        try {
            send();
            if (failing != null) {
                LOG.info("heartbeats of {} are sent again", config.workerId());
                failing = null;
            }
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                return; // interrupted by close()
            }
            // said once per problem, not once per heartbeat: a registry that is gone fails every heartbeat alike
            String problem = e.toString();
            if (!problem.equals(failing)) {
                LOG.warn("heartbeat of {} not sent: {}; said once until it changes or heartbeats work again",
                        config.workerId(), problem);
                failing = problem;
            }
        }
    }

    /** The heartbeat this worker would send now. */
    WorkerStatus status() {
        WorkerActivity a = activity.get();
        ResourceProbe.Sample s = probe.sample();
        return WorkerStatus.newBuilder()
                .setWorkerId(config.workerId())
                .setKind(config.kind())
                .setState(a.state())
                .setHost(WorkerConfig.hostName())
                .setPid(ProcessHandle.current().pid())
                .setVersion(BuildVersion.get())
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
                .setHashBackend(backend)
                .setHeartbeatIntervalMs(config.heartbeatInterval().toMillis())
                .setHostCoresBusy(s.hostCoresBusy())
                .setProcessCoresBusy(s.processCoresBusy())
                .setProcessRssBytes(s.processRssBytes())
                .setProcessVmemBytes(s.processVmemBytes())
                .setSwapTotalBytes(s.swapTotalBytes())
                .setSwapUsedBytes(s.swapUsedBytes())
                .build();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
