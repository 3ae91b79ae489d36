package io.postfleet.miner;

import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.DevnetSettings;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.TaskState;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.fallback.FallbackController;
import io.postfleet.miner.fallback.LocalProver;
import io.postfleet.miner.gather.ResultConsumer;
import io.postfleet.miner.gather.ResultGatherer;
import io.postfleet.miner.gather.ResultVerifier;
import io.postfleet.miner.lag.HeartbeatConsumer;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.miner.lag.WorkerRoster;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.schemas.WorkerStatus;
import io.postfleet.worker.prove.TaskProver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A whole miner wired from {@link MinerSettings}: the devnet chain over the manifest's sectors, topics checked, the
 * result and heartbeat readers, the lag monitor, verification, local fallback, the operator API and the PoSt loop.
 * {@link #start()} begins following the chain; {@link #close()} stops everything it started, in reverse order.
 */
public final class MinerApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MinerApp.class);

    private final MinerSettings settings;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final Manifest manifest;
    private final SectorSize size;
    private final DevnetChain chain;
    private final EventLog events;
    private final MinerClients clients;
    private final WorkerRoster roster;
    private final LagMonitor lag;
    private final ProvingBook book;
    private final FallbackController fallback;
    private final Miner miner;
    private final HashBackend backend;
    private final MinerMetrics metrics;
    private final OperatorApi api;
    private final ScheduledExecutorService lagRefresher;
    private final PartitionProver partitionProver;
    private final StoragePaths storagePaths;
    private final PostVerifier postVerifier;
    private final byte[] proverId;
    private final List<ChainSector> sectors;

    public MinerApp(MinerSettings settings) throws IOException {
        this.settings = settings;
        boolean done = false;
        try {
            manifest = Manifest.read(settings.manifest());
            if (settings.minerId() >= 0 && settings.minerId() != manifest.minerId()) {
                throw new IllegalArgumentException("--miner t0" + settings.minerId() + " does not match the manifest "
                        + settings.manifest() + ", whose sectors belong to t0" + manifest.minerId());
            }
            size = manifest.sectorSize();
            List<ChainSector> sectors = manifest.sectors().stream()
                    .map(e -> new ChainSector(e.id(), e.commR(), e.updated())).toList();
            chain = new DevnetChain(new DevnetSettings(settings.epoch(), Instant.now(), manifest.minerId(),
                    size.windowPartitionSectors(), settings.partitionsPerDeadline(), settings.firstChallengeEpoch(),
                    settings.winProbability(), settings.chainLog()), sectors);
            events = own(new EventLog(settings.events()));

            clients = own(new MinerClients(settings.bootstrap(), settings.registryUrl(), settings.topicPrefix()));
            Topics topics = clients.topics();
            List<String> created = new TopicChecker(clients.admin()).ensure(topics.specs(settings.topicReplication()));
            if (!created.isEmpty()) {
                log.info("topics: {}", created);
            }

            roster = new WorkerRoster(settings.heartbeatStaleAfter(), Clock.systemUTC());
            lag = new LagMonitor(clients.admin(), roster, List.of(
                    new LagMonitor.Watched(PostKind.WINDOW, settings.windowGroup(), topics.windowTasks()),
                    new LagMonitor.Watched(PostKind.WINNING, settings.winningGroup(), topics.winningTasks())));
            lag.refresh();
            book = new ProvingBook(chain, events);

            backend = own(HashBackends.open(settings.gpu()));
            log.info("hash backend for verification and local proving: {}", backend.description());
            TaskFactory tasks = new TaskFactory(manifest.minerId(), size.label(), registered(size, true),
                    registered(size, false), ApiVersion.WINDOW_DEFAULT.label());
            ResultVerifier verifier = new ResultVerifier(new PostVerifier(backend), size, ApiVersion.WINDOW_DEFAULT,
                    tasks.proverId(), sectors);
            partitionProver = new PartitionProver(backend, ProverSettings.defaults());
            storagePaths = new StoragePaths(settings.storage());
            postVerifier = new PostVerifier(backend);
            proverId = tasks.proverId();
            this.sectors = sectors;
            LocalProver local = settings.localProving() ? new LocalProver(new TaskProver(partitionProver, storagePaths,
                    FallbackController.LOCAL_WORKER)) : null;
            Duration winningStartTimeout = min(Duration.ofSeconds(1), settings.winningBudget().dividedBy(4));
            fallback = own(new FallbackController(book, lag, roster, events, local, settings.workerGrace(),
                    settings.forceLocalBefore(), winningStartTimeout, settings.winningBudget().dividedBy(2)));
            ResultGatherer gatherer = own(new ResultGatherer(book, verifier, events, 2));
            fallback.attach(gatherer);

            own(new HeartbeatConsumer(clients.heartbeatConsumer(), topics.workers(), roster, this::sawHeartbeat).start());
            own(new ResultConsumer(clients.resultConsumer(), topics.results(), gatherer).start());
            lagRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "miner-lag");
                t.setDaemon(true);
                return t;
            });
            own(lagRefresher::shutdownNow);
            lagRefresher.scheduleWithFixedDelay(lag::refresh, settings.lagRefresh().toMillis(),
                    settings.lagRefresh().toMillis(), TimeUnit.MILLISECONDS);

            miner = own(new Miner(chain, sectors, tasks, clients.taskProducer("post-miner-" + manifest.minerId()),
                    topics.windowTasks(), topics.winningTasks(), lag, book, events, fallback,
                    settings.winningBudget()));
            metrics = new MinerMetrics(events, lag, roster);
            api = own(OperatorApi.start(settings.apiHost(), settings.apiPort(), this));
            done = true;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        opened.add(resource);
        return resource;
    }

    /** A worker's heartbeat naming a task of ours in hand: the task has started there. */
    private void sawHeartbeat(WorkerStatus s) {
        if (s.getState() != WorkerState.PROVING || s.getCurrentTaskId() == null) {
            return;
        }
        book.task(s.getCurrentTaskId()).ifPresent(t -> {
            if (book.started(t, s.getWorkerId())) {
                events.emit(EventType.STARTED, t.taskId(), t.deadline(), t.partition(), s.getWorkerId(), null,
                        java.util.Map.of("since", String.valueOf(s.getCurrentTaskSince())));
            }
        });
    }

    /**
     * Proves and verifies one winning proof locally before any deadline: it shows the miner's storage and hash
     * backend work, and warms the prover so the first real winning proof is not slowed by a cold start.
     *
     * @return a line saying what was checked, or why local proving will not work
     */
    public String selfCheck() {
        if (!settings.localProving()) {
            return "self-check skipped: local proving is off (--no-local-proving)";
        }
        long t0 = System.nanoTime();
        byte[] randomness = chain.ticket(0).randomness();
        int index = ChallengeDeriver.winningSectorIndex(randomness, proverId, sectors.size());
        ChainSector sector = sectors.get(index);
        PartitionProof proof = partitionProver.proveWinning(size, chain.minerId(), randomness, proverId,
                new ProvingSector(sector.sectorId(), sector.commR(),
                        storagePaths.locate(chain.minerId(), sector.sectorId()).orElse(null)));
        if (!proof.skipped().isEmpty()) {
            return "self-check: sector " + sector.sectorId() + " cannot be proven locally ("
                    + proof.skipped().get(0).reason() + "); the miner can only prove sectors its --storage paths hold";
        }
        java.util.SortedMap<Long, byte[]> eligible = new java.util.TreeMap<>();
        sectors.forEach(s -> eligible.put(s.sectorId(), s.commR()));
        Verdict verdict = postVerifier.verifyWinning(size, randomness, proverId, eligible, proof);
        if (verdict instanceof Verdict.Invalid invalid) {
            throw new IllegalStateException("self-check: the local winning proof of sector " + sector.sectorId()
                    + " does not verify (" + invalid.reason() + "): the sector files disagree with the manifest");
        }
        return String.format("self-check: winning proof of sector %d proven and verified locally in %d ms (%s)",
                sector.sectorId(), (System.nanoTime() - t0) / 1_000_000, backend.description());
    }

    /** Starts following the chain: deadlines and elections from now on. */
    public MinerApp start() {
        miner.start(tickPeriod(settings.epoch()));
        return this;
    }

    /** Starts only the fallback and settlement loop (operator dry runs against the fleet, without the chain). */
    public MinerApp startWithoutChain() {
        miner.startWithoutChain(tickPeriod(settings.epoch()));
        return this;
    }

    /**
     * Proves deadline {@code index}'s partitions now with the current epoch's randomness, through the fleet (or
     * locally when no worker consumes), verifies them and submits nothing. Blocks until every partition settled or
     * {@code timeout} passed.
     *
     * @return one line per partition: task, state, worker, time after publishing, faults
     */
    public String dryRunWindow(int index, Duration timeout) {
        if (chain.partitions(index).isEmpty()) {
            throw new IllegalArgumentException("deadline " + index + " has no sectors; `post-miner proving deadlines` "
                    + "lists the deadlines that have");
        }
        long epoch = chain.currentEpoch();
        DeadlineInfo now = chain.deadlineAt(epoch);
        DeadlineInfo dry = new DeadlineInfo(now.periodStart(), index, epoch, epoch + DeadlineInfo.CHALLENGE_LOOKBACK,
                epoch + DeadlineInfo.CHALLENGE_LOOKBACK + DeadlineInfo.CHALLENGE_WINDOW);
        Instant published = Instant.now();
        DeadlineRun run = miner.publishDeadline(dry, true);
        long until = System.nanoTime() + timeout.toNanos();
        while (!run.settled() && System.nanoTime() < until) {
            sleep(50);
        }
        String head = String.format("dry run of deadline %d at epoch %d: %s%n", index, epoch,
                !run.settled() ? "not settled after " + timeout.toMillis() + " ms"
                        : run.complete() ? "every partition proven and verified (nothing submitted)"
                        : "INCOMPLETE");
        return head + OperatorApi.describeTasks(run.tasks(), published);
    }

    /** A winning proof for the current epoch's ticket, won or not: proven, verified, nothing submitted. */
    public String dryRunWinning(Duration timeout) {
        long epoch = chain.currentEpoch();
        Instant published = Instant.now();
        TaskRecord task = miner.publishWinning(chain.ticket(epoch), true);
        long until = System.nanoTime() + timeout.toNanos();
        while (task.isOpen() && System.nanoTime() < until) {
            sleep(20);
        }
        return String.format("dry run of a winning proof at epoch %d (budget %d ms): %s%n", epoch,
                settings.winningBudget().toMillis(), task.state() == TaskState.ACCEPTED ? "proven and verified"
                        : task.isOpen() ? "not settled after " + timeout.toMillis() + " ms" : "NOT PROVEN")
                + OperatorApi.describeTasks(List.of(task), published);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Duration tickPeriod(Duration epoch) {
        long ms = Math.max(20, Math.min(250, epoch.toMillis() / 5));
        return Duration.ofMillis(ms);
    }

    private static int registered(SectorSize size, boolean window) {
        try {
            return window ? size.registeredWindowProof() : size.registeredWinningProof();
        } catch (IllegalArgumentException e) {
            return -1; // test-only shapes (4KiB, 16KiB, 32KiB) have no registered proof type
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public MinerSettings settings() {
        return settings;
    }

    public DevnetChain chain() {
        return chain;
    }

    public EventLog events() {
        return events;
    }

    public ProvingBook book() {
        return book;
    }

    public Miner miner() {
        return miner;
    }

    public LagMonitor lag() {
        return lag;
    }

    public WorkerRoster roster() {
        return roster;
    }

    public FallbackController fallback() {
        return fallback;
    }

    public MinerMetrics metrics() {
        return metrics;
    }

    public Manifest manifest() {
        return manifest;
    }

    public String backendDescription() {
        return backend.description();
    }

    /** The operator API's port (useful when it was chosen free). */
    public int apiPort() {
        return api.port();
    }

    /** Open tasks, for status lines. */
    public List<TaskRecord> openTasks() {
        List<TaskRecord> open = new ArrayList<>(book.open(PostKind.WINDOW));
        open.addAll(book.open(PostKind.WINNING));
        return open;
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", opened.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        opened.clear();
    }
}
