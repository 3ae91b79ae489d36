package io.postfleet.e2e;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.lag.Silence;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.schemas.PostKind;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import io.postfleet.worker.status.ResourceProbe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * One test's fleet on the JVM's real broker and the real registry process: its own topics and groups (a prefix per
 * fleet), 2KiB sectors pledged on disk, in-process workers and a miner on a fast devnet. Closing it stops what it
 * started.
 */
public final class MinerFleet implements AutoCloseable {

    static final long MINER = 1000;
    private static final AtomicInteger SEQ = new AtomicInteger();

    final String bootstrap;
    final String registry;
    final String prefix;
    final Topics topics;
    final Path storage;
    final Manifest manifest;
    private final List<AutoCloseable> started = new ArrayList<>();

    /** A fleet over {@code sectors} freshly pledged 2KiB sectors (ids 0..n-1). */
    MinerFleet(String name, int sectors) throws Exception {
        this(name, sectors, EmbeddedKafka.shared().bootstrapServers());
    }

    /** The same on the broker at {@code bootstrap} (a test's own, e.g. one it stops). */
    MinerFleet(String name, int sectors, String bootstrap) throws Exception {
        this(name, sectors, bootstrap, SchemaRegistryProcess.shared().url());
    }

    /** The same on the broker at {@code bootstrap} and the registry at {@code registry} (a test's own). */
    MinerFleet(String name, int sectors, String bootstrap, String registry) throws Exception {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.prefix = name + "-" + SEQ.incrementAndGet() + "-";
        this.topics = Topics.defaults().withPrefix(prefix);
        this.storage = Files.createTempDirectory("miner-" + name + "-");
        this.manifest = new TestSectors(new CpuHashBackend()).pledge(storage, SectorSize.KIB_2, MINER, sectors, 0,
                name.hashCode(), false, n -> { });
    }

    String group(PostKind kind) {
        return prefix + (kind == PostKind.WINDOW ? "window" : "winning");
    }

    /** Fast devnet settings: 100 ms epochs, deadline 0 challenged 1 s after start, 4 partitions per deadline. */
    Settings settings() {
        return new Settings(this);
    }

    /** A started in-process worker of {@code kind} named {@code id}, each proof slowed by {@code delay}. */
    PostWorker worker(PostKind kind, String id, Duration delay) throws Exception {
        return worker(kind, id, delay, storage);
    }

    /** The same over another storage path than the miner's (one that lacks some sectors, say). */
    PostWorker worker(PostKind kind, String id, Duration delay, Path storage) throws Exception {
        return worker(kind, id, delay, List.of(storage), c -> c);
    }

    /** A worker over {@code storage} (possibly none), its configuration changed by {@code tune} before it starts. */
    PostWorker worker(PostKind kind, String id, Duration delay, List<Path> storage,
                      java.util.function.UnaryOperator<WorkerConfig> tune) throws Exception {
        WorkerConfig c = tune.apply(WorkerConfig.of(kind, bootstrap, registry, storage).withTopics(topics)
                .withGroupId(group(kind)).withWorkerId(id).withHeartbeatInterval(Duration.ofMillis(300))
                .withProveDelay(delay));
        PostWorker w = new PostWorker(c, new CpuHashBackend(), new ResourceProbe(Optional.empty())).start();
        started.add(w);
        if (!w.awaitAssignment(Duration.ofSeconds(60))) {
            throw new AssertionError("worker " + id + " got no partitions within 60 s");
        }
        return w;
    }

    MinerApp miner(Settings s) throws Exception {
        return miner(s, java.time.Clock.systemUTC());
    }

    /** A miner whose devnet chain keeps time by {@code chainClock}. */
    MinerApp miner(Settings s, java.time.Clock chainClock) throws Exception {
        MinerApp app = new MinerApp(s.build(), chainClock);
        started.add(app);
        return app;
    }

    /** The arguments of a post-worker process in this fleet (for tests that kill one). */
    List<String> workerArgs(PostKind kind, String id, String proveDelay) {
        return new ArrayList<>(List.of("run", kind == PostKind.WINDOW ? "--windowpost" : "--winningpost",
                "--bootstrap", bootstrap, "--registry", registry, "--storage", storage.toString(), "--worker-id", id,
                "--group", group(kind), "--prove-delay", proveDelay, "--heartbeat-interval", "300ms", "--hash", "java",
                "--topic-prefix", prefix));
    }

    /** Waits for the first event matching {@code what}; fails the test naming {@code description}. */
    static MinerEvent await(MinerApp app, Duration timeout, String description, Predicate<MinerEvent> what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (MinerEvent e : app.events().history()) {
                if (what.test(e)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        StringBuilder sb = new StringBuilder("no event within " + timeout.toMillis() + " ms: " + description
                + "\nevents:\n");
        app.events().history().forEach(e -> sb.append("  ").append(e).append('\n'));
        throw new AssertionError(sb.toString());
    }

    static List<MinerEvent> events(MinerApp app, EventType type) {
        return app.events().history().stream().filter(e -> e.type() == type).toList();
    }

    static Predicate<MinerEvent> deadlineSubmitted(int deadline) {
        return e -> e.type() == EventType.SUBMITTED && e.taskId() == null && e.deadline() == deadline;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        started.clear();
    }

    /** Miner settings with test defaults, changed one knob at a time. */
    static final class Settings {
        private final MinerFleet fleet;
        Duration epoch = Duration.ofMillis(100);
        long firstChallengeEpoch = 10;
        int partitionsPerDeadline = 4;
        double winProbability = 0;
        Duration winningBudget = Duration.ofSeconds(5);
        Duration workerGrace = Duration.ZERO;
        Duration forceLocalBefore = Duration.ofSeconds(1);
        Duration heartbeatStaleAfter = Duration.ofMillis(1500);
        Duration lagRefresh = Duration.ofMillis(200);
        boolean localProving = true;
        Path events;
        Path chainLog;
        /** The miner's /remote endpoint; null: none. */
        ServeSettings storageServe;
        /** Replication factor of the topics the miner creates (3 on a replicated cluster). */
        short topicReplication = 1;
        /** The secret the operator API checks tokens with; null: one made for the miner alone. */
        SecretSource apiSecret;
        /** What the miner's Kafka clients log in with; null: nothing (a PLAINTEXT broker). */
        KafkaClientSettings kafka;

        Settings(MinerFleet fleet) {
            this.fleet = fleet;
        }

        MinerSettings build() {
            return new MinerSettings(fleet.bootstrap, fleet.registry, fleet.prefix, MINER,
                    fleet.storage.resolve(Manifest.FILE_NAME), List.of(fleet.storage), events, chainLog, epoch,
                    firstChallengeEpoch, partitionsPerDeadline, winProbability, winningBudget, workerGrace,
                    forceLocalBefore, Silence.after(heartbeatStaleAfter), lagRefresh, "java", localProving,
                    fleet.group(PostKind.WINDOW), fleet.group(PostKind.WINNING), 0, "127.0.0.1", topicReplication,
                    storageServe, null, apiSecret, kafka);
        }
    }
}
