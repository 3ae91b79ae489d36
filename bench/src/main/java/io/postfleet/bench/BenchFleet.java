package io.postfleet.bench;

import io.postfleet.messaging.topic.Topics;
import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.cli.WorkerProcess;
import io.postfleet.worker.config.WorkerConfig;
import io.postfleet.worker.consume.PostWorker;
import io.postfleet.worker.status.ResourceProbe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One measurement's fleet on the benchmark's broker and registry: its own topics and consumer groups (a prefix per
 * fleet, so measurements never see each other's members or tasks), 2KiB sectors pledged under {@code root}, workers
 * in this JVM or as child processes, and a miner. {@link #close()} stops everything it started, newest first.
 */
final class BenchFleet implements AutoCloseable {

    static final long MINER = 1000;
    /** Worker status heartbeat interval (post.workers), as in the fleet tests. */
    static final Duration WORKER_HEARTBEAT = Duration.ofMillis(300);

    final String bootstrap;
    final String registry;
    final String prefix;
    final Topics topics;
    final Path storage;
    final Manifest manifest;
    private final List<AutoCloseable> started = new ArrayList<>();

    /** Miner knobs, printed with each measurement. */
    Duration epoch = Duration.ofMillis(100);
    int partitionsPerDeadline = 1;
    Duration winningBudget = Duration.ofSeconds(5);
    Duration workerGrace = Duration.ZERO;
    Duration forceLocalBefore = Duration.ofSeconds(1);
    Duration heartbeatStaleAfter = Duration.ofMillis(1500);
    Duration lagRefresh = Duration.ofMillis(200);
    boolean localProving;

    BenchFleet(String name, String bootstrap, String registry, Path root, int sectors, long seed) throws Exception {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.prefix = "bench-" + name + "-";
        this.topics = Topics.defaults().withPrefix(prefix);
        this.storage = Files.createDirectories(root.resolve(name));
        this.manifest = new TestSectors(new CpuHashBackend()).pledge(storage, SectorSize.KIB_2, MINER, sectors, 0, seed,
                false, n -> { });
    }

    String group(PostKind kind) {
        return prefix + (kind == PostKind.WINDOW ? "window" : "winning");
    }

    /** A started in-process worker, waiting until the group gave it partitions. */
    PostWorker worker(PostKind kind, String id, Duration proveDelay) throws Exception {
        WorkerConfig c = WorkerConfig.of(kind, bootstrap, registry, List.of(storage)).withTopics(topics)
                .withGroupId(group(kind)).withWorkerId(id).withHeartbeatInterval(WORKER_HEARTBEAT)
                .withProveDelay(proveDelay);
        PostWorker w = new PostWorker(c, new CpuHashBackend(), new ResourceProbe(Optional.empty()));
        started.add(w);
        w.start();
        if (!w.awaitAssignment(Duration.ofSeconds(60))) {
            throw new IllegalStateException("worker " + id + " got no partition of " + topics.tasks(kind)
                    + " within 60 s");
        }
        return w;
    }

    /** A post-worker child process (a real JVM that can be SIGKILLed), its output in {@code log}. */
    WorkerProcess workerProcess(PostKind kind, String id, Duration proveDelay, Path log) throws Exception {
        List<String> args = List.of("run", kind == PostKind.WINDOW ? "--windowpost" : "--winningpost",
                "--bootstrap", bootstrap, "--registry", registry, "--storage", storage.toString(), "--worker-id", id,
                "--group", group(kind), "--prove-delay", proveDelay.toMillis() + "ms",
                "--heartbeat-interval", WORKER_HEARTBEAT.toMillis() + "ms", "--hash", "auto",
                "--topic-prefix", prefix);
        WorkerProcess p = WorkerProcess.start(args, log);
        started.add(p);
        return p;
    }

    MinerSettings settings() {
        return new MinerSettings(bootstrap, registry, prefix, MINER, storage.resolve(Manifest.FILE_NAME),
                List.of(storage), null, null, epoch, 10, partitionsPerDeadline, 0.0, winningBudget, workerGrace,
                forceLocalBefore, heartbeatStaleAfter, lagRefresh, "auto", localProving, group(PostKind.WINDOW),
                group(PostKind.WINNING), 0, "127.0.0.1", (short) 1);
    }

    /**
     * A miner that follows no chain: it publishes only what the benchmark asks for, while its fallback and
     * settlement loop runs as in {@code post-miner run}.
     */
    MinerApp miner() throws Exception {
        MinerApp app = new MinerApp(settings());
        started.add(app);
        return app.startWithoutChain();
    }

    /** The miner settings as one line. */
    String describeMiner() {
        return "epoch " + epoch.toMillis() + " ms, lag refresh " + lagRefresh.toMillis() + " ms, heartbeat stale after "
                + heartbeatStaleAfter.toMillis() + " ms, worker grace " + workerGrace.toMillis()
                + " ms, local proving " + (localProving ? "on" : "off") + ", winning budget "
                + winningBudget.toMillis() + " ms, " + manifest.sectors().size() + " x 2KiB sectors, hash backend "
                + hashBackend();
    }

    /** What {@code --hash auto} opens on this machine, as miner and workers here use it. */
    static String hashBackend() {
        try (HashBackend b = HashBackends.open("auto")) {
            return "auto = " + b.description();
        }
    }

    /** Waits until the miner sees {@code n} members of {@code kind}'s group holding partitions, each with a live heartbeat. */
    static void awaitLiveWorkers(MinerApp app, PostKind kind, List<String> ids, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            var view = app.lag().view(kind);
            boolean all = ids.stream().allMatch(id -> view.partitionsByMember().containsKey(id)
                    && !view.partitionsByMember().get(id).isEmpty()
                    && view.liveWorkers().stream().anyMatch(w -> w.getWorkerId().equals(id)));
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the miner never saw the " + kind.name().toLowerCase(Locale.ROOT) + " workers " + ids
                + " live with partitions within " + timeout.toSeconds() + " s: " + app.lag().view(kind));
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
}
