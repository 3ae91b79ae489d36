package io.postfleet.miner;

import io.postfleet.messaging.topic.TopicChecker;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.chain.DevnetSettings;
import io.postfleet.miner.chain.DeadlineInfo;
import io.postfleet.miner.deadline.DeadlineRun;
import io.postfleet.miner.deadline.ProvingBook;
import io.postfleet.miner.deadline.ProvingMeters;
import io.postfleet.miner.deadline.TaskState;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.miner.dispatch.SettlementPublisher;
import io.postfleet.miner.dispatch.TaskPublisher;
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
import io.postfleet.proving.prove.TaskProver;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.index.Holders;
import io.postfleet.proving.storage.index.SectorIndex;
import io.postfleet.proving.storage.index.StorageAnnouncer;
import io.postfleet.proving.storage.index.StorageTopic;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.remote.RemoteVanillaReads;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;
import io.postfleet.proving.storage.serve.StorageKeys;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
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
 * result and heartbeat readers, the lag monitor, verification, local fallback, the operator service and its API, the
 * PoSt loop, and with {@code --storage-listen} the /remote endpoint over its storage paths. Only wiring lives here:
 * what operators ask for is {@link OperatorService}'s.
 * {@link #start()} begins following the chain; {@link #close()} stops everything it started, in reverse order.
 */
public final class MinerApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MinerApp.class);
    /** How long a published task may wait for the broker's acknowledgement before the fleet counts as unreachable. */
    static final Duration PUBLISH_ACK_TIMEOUT = Duration.ofSeconds(3);

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
    private final OperatorService operator;
    private final StorageEndpoint storageEndpoint;
    private final TokenSecret apiSecret;
    private final ResultConsumer results;
    private final ResultGatherer gatherer;
    /** Longest a restarted miner spends reading back results before it publishes what is still unproven. */
    static final Duration READ_BACK_LIMIT = Duration.ofSeconds(5);

    public MinerApp(MinerSettings settings) throws IOException {
        this(settings, Clock.systemUTC());
    }

    /**
     * A miner whose devnet chain keeps time by {@code chainClock} (a test runs weeks of devnet time in minutes with a
     * clock that runs fast); everything else keeps wall-clock time.
     */
    public MinerApp(MinerSettings settings, Clock chainClock) throws IOException {
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
            chain = new DevnetChain(new DevnetSettings(settings.epoch(), chainClock.instant(), manifest.minerId(),
                    size.windowPartitionSectors(), settings.partitionsPerDeadline(), settings.firstChallengeEpoch(),
                    settings.winProbability(), settings.chainLog()), sectors, chainClock);
            events = own(new EventLog(settings.events()));

            clients = own(new MinerClients(settings.bootstrap(), settings.registryUrl(), settings.topicPrefix(),
                    settings.kafka()));
            Topics topics = clients.topics();
            List<String> created = new TopicChecker(clients.admin()).ensure(topics.specs(settings.topicReplication()));
            if (!created.isEmpty()) {
                log.info("topics: {}", created);
            }

            roster = new WorkerRoster(settings.heartbeatSilence(), Clock.systemUTC());
            lag = new LagMonitor(clients.admin(), roster, List.of(
                    new LagMonitor.Watched(PostKind.WINDOW, settings.windowGroup(), topics.windowTasks()),
                    new LagMonitor.Watched(PostKind.WINNING, settings.winningGroup(), topics.winningTasks())));
            lag.refresh();
            book = new ProvingBook(chain, events);
            SettlementPublisher settlements = own(new SettlementPublisher(
                    clients.settlementProducer("post-miner-settled-" + manifest.minerId()), topics.settled()));
            book.onSettled(settlements::settled);

            backend = own(HashBackends.open(settings.hash()));
            log.info("hash backend for verification and local proving: {}", backend.description());
            TaskFactory tasks = new TaskFactory(manifest.minerId(), size.label(), registered(size, true),
                    registered(size, false), ApiVersion.WINDOW_DEFAULT.label());
            ResultVerifier verifier = new ResultVerifier(new PostVerifier(backend), size, ApiVersion.WINDOW_DEFAULT,
                    tasks.proverId());
            // sectors the miner's own storage paths lack are read from the nodes that announce them
            String node = "post-miner-t0" + manifest.minerId();
            SectorIndex index = own(new SectorIndex(StorageTopic.reader(settings.bootstrap(), settings.registryUrl(),
                    settings.kafka().properties(), node + "-storage"), topics.storage(), new Holders(node)).start());
            RemoteReadSettings remote = settings.remote();
            RemoteVanillaReads remoteReads = own(new RemoteVanillaReads(index.holders(), remote.sources(),
                    remote.token(), new PostVerifier(backend), remote.parallel(), remote.timeout(), Clock.systemUTC(),
                    null));
            PartitionProver partitionProver = own(new PartitionProver(backend, ProverSettings.defaults()))
                    .withRemote(remoteReads);
            byte[] proverId = tasks.proverId();
            LocalProver local = settings.localProving() ? new LocalProver(new TaskProver(partitionProver,
                    new StoragePaths(settings.storage()), FallbackController.LOCAL_WORKER)) : null;
            // a task the broker has not acknowledged this long means the fleet cannot be reached: prove locally
            TaskPublisher publisher = own(new TaskPublisher(clients.taskProducer("post-miner-" + manifest.minerId()),
                    PUBLISH_ACK_TIMEOUT, Clock.systemUTC()));
            Duration winningStartTimeout = min(Duration.ofSeconds(1), settings.winningBudget().dividedBy(4));
            fallback = own(new FallbackController(book, lag, roster, events, local, settings.workerGrace(),
                    settings.forceLocalBefore(), winningStartTimeout, settings.winningBudget().dividedBy(2),
                    publisher::reachable));
            ResultGatherer gatherer = own(new ResultGatherer(book, verifier, events, 2));
            fallback.attach(gatherer);

            own(new HeartbeatConsumer(clients.heartbeatConsumer(), topics.workers(), roster, this::sawHeartbeat).start());
            this.gatherer = gatherer;
            // a miner started again over its chain reads back the results of the deadlines still open
            results = own(new ResultConsumer(clients.resultConsumer(), topics.results(), gatherer,
                    chain.resumed() ? readBackSince() : null));
            lagRefresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "miner-lag");
                t.setDaemon(true);
                return t;
            });
            own(lagRefresher::shutdownNow);
            lagRefresher.scheduleWithFixedDelay(lag::refresh, settings.lagRefresh().toMillis(),
                    settings.lagRefresh().toMillis(), TimeUnit.MILLISECONDS);

            miner = own(new Miner(chain, sectors, tasks, publisher,
                    topics.windowTasks(), topics.winningTasks(), lag, book, events, fallback,
                    settings.winningBudget()));
            fallback.reassignWith(miner::reassign);
            metrics = new MinerMetrics(events, lag, roster);
            new ProvingMeters(book, chain, settings.winningBudget()).bindTo(metrics.registry());
            operator = new OperatorService(settings, manifest, chain, book, miner, metrics, backend.description(),
                    local == null ? null : new SelfCheck(partitionProver, new PostVerifier(backend),
                            new StoragePaths(settings.storage()), size, chain, proverId, sectors), roster, lag,
                    fallback, events);
            apiSecret = openApiSecret(settings.apiSecret());
            api = own(OperatorApi.start(settings.apiHost(), settings.apiPort(), operator, apiSecret,
                    topics.workers()));
            storageEndpoint = settings.storageServe() == null ? null
                    : own(serveStorage(settings.storageServe().withNodeId(node)));
            if (storageEndpoint != null) {
                Producer<String, SpecificRecord> announcements = own(StorageTopic.producer(settings.bootstrap(),
                        settings.registryUrl(), settings.kafka().properties(), node + "-storage"));
                own(new StorageAnnouncer(StorageTopic.sender(announcements, topics.storage()), node,
                        storageEndpoint.baseUrl(), storageEndpoint.inventory(), Duration.ofSeconds(30),
                        Duration.ofSeconds(10), Clock.systemUTC()).start());
            }
            done = true;
        } finally {
            if (!done) {
                close();
            }
        }
    }

    /** The secret the operator API checks tokens with; a fresh one held in memory when none is configured. */
    private static TokenSecret openApiSecret(SecretSource source) {
        if (source == null) {
            return TokenSecret.random();
        }
        try {
            return source.open(System.getenv(), note -> log.info("{}", note));
        } catch (IOException e) {
            throw new IllegalArgumentException(StorageKeys.TOKEN_SECRET.flag() + " " + source.describe()
                    + ": the token secret cannot be made or read (" + e.getMessage() + ")", e);
        }
    }

    /** A token for this miner's operator API allowing {@code perm}, valid for a day. */
    public String apiToken(ApiPermission perm) {
        return ApiToken.upTo(perm).expiringAt(Instant.now().plus(Duration.ofDays(1))).sign(apiSecret);
    }

    /** The /remote endpoint over the miner's storage paths, for workers that do not see them. */
    private StorageEndpoint serveStorage(ServeSettings serve) {
        try {
            return StorageEndpoint.serve(serve, new StoragePaths(settings.storage()), backend, metrics.registry(),
                    System.getenv(), note -> log.info("{}", note));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(StorageKeys.startProblem(MinerSettings.STORAGE_LISTEN.flag(), serve, e),
                    e);
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
     * Starts following the chain: a new devnet's epoch 0 begins now; a devnet resumed from its chain log goes on
     * where the wall clock says, after {@link #resume()}.
     */
    public MinerApp start() {
        if (chain.resumed()) {
            resume();
        } else {
            chain.beginNow();
            results.startReading();
            miner.start(tickPeriod(settings.epoch()));
        }
        return this;
    }

    /** The earliest time a result for a deadline still open may have been written: its challenge epoch's start. */
    private Instant readBackSince() {
        List<DeadlineInfo> open = chain.openDeadlines(chain.currentEpoch());
        return open.isEmpty() ? Instant.now() : chain.epochStart(open.get(0).challengeEpoch());
    }

    /**
     * A miner started again mid-deadline: a deadline still open that is on chain already is left alone (never
     * submitted twice); one that is not is put in the book, the results written since its challenge are read back
     * and verified (for at most {@link #READ_BACK_LIMIT}: the clock does not wait on the broker), and only the
     * partitions without an accepted proof are published again. The PoSt loop runs meanwhile (elections, the
     * fallback, settlement): the deadlines taken back are in the book already, so it does not publish them itself.
     */
    private void resume() {
        long epoch = chain.currentEpoch();
        List<DeadlineRun> runs = new ArrayList<>();
        for (DeadlineInfo dl : chain.openDeadlines(epoch)) {
            if (chain.submitted(dl)) {
                events.emit(EventType.RESUMED, null, dl.index(), -1, null, "started again at epoch " + epoch
                        + ": deadline " + dl.index() + " is on chain already and is not submitted again");
                continue;
            }
            DeadlineRun run = miner.recordDeadline(dl, false);
            if (run != null) {
                runs.add(run);
            }
        }
        long began = System.nanoTime();
        results.startReading();
        miner.start(tickPeriod(settings.epoch()));
        boolean readAll = false;
        try {
            readAll = results.awaitCaughtUp(READ_BACK_LIMIT) && gatherer.awaitVerified(READ_BACK_LIMIT
                    .minusNanos(System.nanoTime() - began));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        for (DeadlineRun run : runs) {
            int partitions = run.tasks().size();
            int readBack = (int) run.tasks().stream().filter(t -> t.state() == TaskState.ACCEPTED).count();
            int published = miner.publishOpen(run);
            events.emit(EventType.RESUMED, null, run.info().index(), -1, null, "started again at epoch " + epoch
                            + ": " + readBack + " of " + partitions + " partitions read back from the results topic"
                            + (readAll ? "" : " (reading back took over " + READ_BACK_LIMIT.toSeconds()
                            + " s; later results still count)") + ", " + published + " published again",
                    java.util.Map.of("read_back", readBack, "published", published, "partitions", partitions,
                            "read_back_ms", tookMs, "complete", readAll));
        }
        log.info("resumed the devnet chain at epoch {} (genesis {}): {} open deadline(s) taken back in {} ms", epoch,
                chain.epochStart(0), runs.size(), tookMs);
    }

    /** Starts only the fallback and settlement loop (operator dry runs against the fleet, without the chain). */
    public MinerApp startWithoutChain() {
        results.startReading();
        miner.startWithoutChain(tickPeriod(settings.epoch()));
        return this;
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

    /** Dry runs, the self-check and the deadline table. */
    public OperatorService operator() {
        return operator;
    }

    /** The operator API's port (useful when it was chosen free). */
    public int apiPort() {
        return api.port();
    }

    /** The storage endpoint's URL ({@code http://HOST:PORT/remote}), when {@code --storage-listen} was given. */
    public java.util.Optional<String> storageUrl() {
        return java.util.Optional.ofNullable(storageEndpoint).map(StorageEndpoint::url);
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
