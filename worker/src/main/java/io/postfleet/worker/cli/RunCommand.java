package io.postfleet.worker.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.postfleet.messaging.chunk.ProofChunker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.cli.DurationConverter;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code post-worker run --windowpost|--winningpost}: joins the kind's consumer group and proves tasks until SIGTERM
 * or Ctrl-C. Flags fall back to environment variables where shown; the resulting configuration is printed first.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Consume PoSt tasks of one kind, prove them, publish results; stop with SIGTERM or Ctrl-C.",
                "Exactly one of --windowpost and --winningpost: a winning task must never wait behind a window proof."})
public final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--windowpost", description = "prove windowPoSt partitions")
    boolean window;

    @Option(names = "--winningpost", description = "prove winningPoSt")
    boolean winning;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:POSTFLEET_BOOTSTRAP}",
            description = "Kafka bootstrap servers (env POSTFLEET_BOOTSTRAP)")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL", defaultValue = "${env:POSTFLEET_REGISTRY}",
            description = "schema registry URL (env POSTFLEET_REGISTRY)")
    String registry;

    @Option(names = "--storage", paramLabel = "PATH",
            description = "a Lotus storage path root with sealed/ and cache/ (repeatable)")
    List<Path> storage = new ArrayList<>();

    @Option(names = "--worker-id", paramLabel = "ID", description = "name in heartbeats and results (default host-pid)")
    String workerId;

    @Option(names = "--gpu", paramLabel = "SPEC", defaultValue = "${env:POSTFLEET_GPU:-auto}",
            description = "hash backend: auto|cpu|opencl|opencl:N (env POSTFLEET_GPU, default ${DEFAULT-VALUE})")
    String gpu;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class, description = "heartbeat period when idle (default ${DEFAULT-VALUE})")
    Duration heartbeatInterval;

    @Option(names = "--prove-delay", paramLabel = "DURATION", defaultValue = "0ms", converter = DurationConverter.class,
            description = "TEST ONLY: extra time added to every proof")
    Duration proveDelay;

    @Option(names = "--max-poll-interval", paramLabel = "DURATION", defaultValue = "5m",
            converter = DurationConverter.class, description = "consumer max.poll.interval.ms (default ${DEFAULT-VALUE})")
    Duration maxPollInterval;

    @Option(names = "--group", paramLabel = "ID",
            description = "consumer group (default postfleet-window / postfleet-winning)")
    String group;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "0",
            description = "Prometheus /metrics on 127.0.0.1:PORT, 0 = off (default)")
    int metricsPort;

    @Option(names = "--max-chunk-bytes", paramLabel = "N", defaultValue = "" + ProofChunker.DEFAULT_MAX_CHUNK_BYTES,
            description = "largest proof slice per result record (default ${DEFAULT-VALUE})")
    int maxChunkBytes;

    @Option(names = "--no-create-topics", description = "do not create missing topics (still verified when present)")
    boolean noCreateTopics;

    @Option(names = "--topic-replication", paramLabel = "N", defaultValue = "1",
            description = "replication factor of topics created at start-up (default ${DEFAULT-VALUE}; 3 in production)")
    short topicReplication;

    @Option(names = "--window-topic", defaultValue = Topics.DEFAULT_WINDOW_TASKS, paramLabel = "NAME")
    String windowTopic;

    @Option(names = "--winning-topic", defaultValue = Topics.DEFAULT_WINNING_TASKS, paramLabel = "NAME")
    String winningTopic;

    @Option(names = "--results-topic", defaultValue = Topics.DEFAULT_RESULTS, paramLabel = "NAME")
    String resultsTopic;

    @Option(names = "--workers-topic", defaultValue = Topics.DEFAULT_WORKERS, paramLabel = "NAME")
    String workersTopic;

    @Option(names = "--dlq-topic", defaultValue = Topics.DEFAULT_DEAD_LETTERS, paramLabel = "NAME")
    String dlqTopic;

    /** The typed configuration these flags describe; a bad combination is a ParameterException naming the flag. */
    public WorkerConfig config() {
        if (window == winning) {
            throw new CommandLine.ParameterException(spec.commandLine(), window
                    ? "--windowpost and --winningpost were both given: a worker proves one kind; start two workers"
                    : "choose the kind of work: --windowpost or --winningpost");
        }
        PostKind kind = window ? PostKind.WINDOW : PostKind.WINNING;
        try {
            Topics topics = new Topics(windowTopic, winningTopic, resultsTopic, workersTopic, dlqTopic);
            return new WorkerConfig(kind, bootstrap, registry, storage,
                    workerId == null ? WorkerConfig.defaultWorkerId() : workerId, gpu, heartbeatInterval, proveDelay,
                    topics, group == null ? WorkerConfig.defaultGroup(kind) : group, metricsPort, maxPollInterval,
                    maxChunkBytes, !noCreateTopics, topicReplication);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        WorkerConfig config = config();
        System.out.println(config.describe());
        PostWorker worker;
        try {
            worker = new PostWorker(config);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch hookDone = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("post-worker " + config.workerId() + ": stopping");
            worker.close();
            hookDone.countDown();
        }, "post-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.start();
        System.out.println("post-worker " + config.workerId() + ": started, consuming " + config.taskTopic());
        System.out.flush();
        worker.awaitStopped(Duration.ofDays(36500));
        if (worker.failure() != null) {
            System.err.println("post-worker " + config.workerId() + ": stopped on an error: " + worker.failure());
            return 1;
        }
        return 0;
    }
}
