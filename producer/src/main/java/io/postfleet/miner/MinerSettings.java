package io.postfleet.miner;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.miner.lag.Silence;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.fleet.ConsumerGroups;
import io.postfleet.proving.fleet.FleetKeys;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.storage.remote.RemoteReadSettings;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageKeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything {@code post-miner run} is configured with. Each setting is defined once below ({@link #DEFINITION}:
 * flag, environment variable, doc, default, check); the command builds its options from those definitions and this
 * record from their resolved values ({@link #from}); tests build it directly. {@code storageServe} is null unless
 * {@code --storage-listen} is given; {@code kafka} is what every Kafka client of the miner is made with (security).
 */
public record MinerSettings(String bootstrap, String registryUrl, String topicPrefix, long minerId, Path manifest,
                            List<Path> storage, Path events, Path chainLog, Duration epoch, long firstChallengeEpoch,
                            int partitionsPerDeadline, double winProbability, Duration winningBudget,
                            Duration workerGrace, Duration forceLocalBefore, Silence heartbeatSilence,
                            Duration lagRefresh, String hash, boolean localProving, String windowGroup,
                            String winningGroup, int apiPort, String apiHost, short topicReplication,
                            ServeSettings storageServe, RemoteReadSettings remote, SecretSource apiSecret,
                            KafkaClientSettings kafka) {

    public static final Key<Path> MANIFEST = Key.of("--manifest", "POSTFLEET_MANIFEST", "FILE", null,
            "the sectors the chain holds for this miner: a pledge manifest.json (or its directory)", Path::of);
    public static final Key<List<Path>> STORAGE = Key.list("--storage", "POSTFLEET_STORAGE", "PATH",
            "a storage path (Lotus layout) the miner proves from when no worker consumes (none given: the "
                    + "manifest's directory)", Path::of);
    public static final Key<Long> MINER = Key.of("--miner", null, "ACTOR", "-1",
            "the miner actor id, checked against the manifest (-1: the manifest's)", Long::parseLong);
    public static final Key<String> EVENTS = Key.text("--events", null, "FILE", "",
            "append one JSON line per event to FILE (empty: none)");
    public static final Key<String> CHAIN_LOG = Key.text("--chain-log", null, "FILE", "",
            "devnet: the chain kept in FILE (genesis, then every submitted proof); a miner started again over the "
                    + "same FILE continues that chain and never submits a deadline twice (empty: a new chain each "
                    + "start)");
    public static final Key<Duration> EPOCH = Key.of("--epoch", "POSTFLEET_EPOCH", "DURATION", "30s",
            "devnet epoch length: 30s like mainnet, 1s for a demo, down to 100ms in tests", DurationConverter::parse)
            .must(d -> d.toMillis() >= 100, "too short: use 100ms or more");
    public static final Key<Long> FIRST_CHALLENGE_EPOCH = Key.of("--first-challenge-epoch", null, "EPOCH", "3",
            "devnet: the epoch deadline 0 is first challenged at", Long::parseLong);
    public static final Key<Integer> PARTITIONS_PER_DEADLINE = Key.of("--partitions-per-deadline", null, "N", "4",
            "devnet: partitions filled into a deadline before the next one", Integer::parseInt)
            .must(n -> n >= 1, "at least 1");
    public static final Key<Double> WIN_PROBABILITY = Key.of("--win-probability", null, "P", "0.05",
            "devnet: chance to win the election each epoch", Double::parseDouble)
            .must(p -> p >= 0 && p <= 1, "between 0 and 1");
    public static final Key<Duration> WINNING_BUDGET = Key.of("--winning-budget", null, "DURATION", "",
            "time from an election to the block's due time (empty: 2/3 of an epoch, at least 1s)",
            MinerSettings::optionalDuration).must(MinerSettings::zeroOrPositive, "must be positive");
    public static final Key<Duration> WORKER_GRACE = Key.of("--worker-grace", null, "DURATION", "15s",
            "after start-up, wait this long for workers before proving locally, unless a deadline is too close",
            DurationConverter::parse).must(d -> !d.isNegative(), "must not be negative");
    public static final Key<Duration> FORCE_LOCAL_BEFORE = Key.of("--force-local-before", null, "DURATION", "",
            "a window task without an accepted proof this close to its deadline's close is proven by the miner too, "
                    + "even while a live worker holds it (empty: 10 epochs)", MinerSettings::optionalDuration)
            .must(MinerSettings::zeroOrPositive, "must not be negative");
    public static final Key<Silence> HEARTBEAT_STALE_AFTER = Key.of("--heartbeat-stale-after", null, "Nx|DURATION",
            "3x", "a worker silent for longer is not live: N of its own heartbeat intervals (each heartbeat says its "
                    + "interval), or a fixed duration", Silence::parse);
    public static final Key<Duration> LAG_REFRESH = Key.of("--lag-refresh", null, "DURATION", "1s",
            "how often the worker groups' members and lag are read", DurationConverter::parse)
            .must(MinerSettings::positive, "must be positive");
    public static final Key<Boolean> NO_LOCAL_PROVING = Key.onOff("--no-local-proving", null,
            "never prove on the miner: only the fleet proves");
    public static final Key<String> WINDOW_GROUP = Key.text("--window-group", null, "ID", ConsumerGroups.WINDOW,
            "the windowPoSt workers' consumer group");
    public static final Key<String> WINNING_GROUP = Key.text("--winning-group", null, "ID", ConsumerGroups.WINNING,
            "the winningPoSt workers' consumer group");
    public static final Key<Integer> API_PORT = Key.of("--api-port", "POSTFLEET_API_PORT", "PORT", "2346",
            "port of the operator API and /metrics (0: any free port)", Integer::parseInt)
            .must(p -> p >= 0 && p <= 65535, "0 (any free port) or 1..65535");
    public static final Key<String> API_HOST = Key.text("--api-host", "POSTFLEET_API_HOST", "ADDRESS", "127.0.0.1",
            "address the operator API binds to (0.0.0.0 only inside a container network)");
    public static final Key<String> API_FILE = Key.text("--api-file", null, "FILE", "",
            "write the operator API's URL to FILE once it listens (empty: none)");
    public static final Key<Short> TOPIC_REPLICATION = Key.of("--topic-replication", null, "N", "1",
            "replication factor of topics the miner creates (3 in production)", Short::parseShort)
            .must(n -> n >= 1, "at least 1");
    public static final Key<Boolean> CONSOLE = Key.onOff("--console", null,
            "print events as they happen, one readable line each");
    public static final Key<String> STORAGE_LISTEN = StorageKeys.STORAGE_LISTEN;
    public static final Key<Duration> RUN_FOR = Key.of("--for", null, "DURATION", "",
            "stop after DURATION; exit 0 only if at least one deadline was submitted and none missed (empty: run "
                    + "until stopped)", MinerSettings::optionalDuration)
            .must(MinerSettings::zeroOrPositive, "must be positive");

    /** Every setting of {@code post-miner run}, in the order usage and the start-up print list them. */
    public static final ConfigDef DEFINITION = new ConfigDef(List.of(FleetKeys.BOOTSTRAP, FleetKeys.REGISTRY,
            FleetKeys.KAFKA_CONFIG, FleetKeys.KAFKA_PROPERTY, FleetKeys.TOPIC_PREFIX, MANIFEST, STORAGE, MINER, EVENTS,
            CHAIN_LOG, EPOCH, FIRST_CHALLENGE_EPOCH, PARTITIONS_PER_DEADLINE, WIN_PROBABILITY, WINNING_BUDGET,
            WORKER_GRACE, FORCE_LOCAL_BEFORE, HEARTBEAT_STALE_AFTER, LAG_REFRESH, FleetKeys.HASH, NO_LOCAL_PROVING,
            WINDOW_GROUP, WINNING_GROUP, API_PORT, API_HOST, API_FILE, TOPIC_REPLICATION, CONSOLE, RUN_FOR,
            STORAGE_LISTEN, StorageKeys.PARALLEL_READS, StorageKeys.READ_TIMEOUT, StorageKeys.TOKEN_SECRET,
            StorageKeys.TOKEN_SECRET_ENV, RemoteReadSettings.REMOTE_STORAGE, RemoteReadSettings.STORAGE_TOKEN,
            RemoteReadSettings.REMOTE_PARALLEL, RemoteReadSettings.REMOTE_TIMEOUT));

    public MinerSettings {
        storage = List.copyOf(storage);
        remote = remote == null ? RemoteReadSettings.defaults() : remote;
        kafka = kafka == null ? KafkaClientSettings.none() : kafka;
    }

    /**
     * Settings without a storage endpoint, reading remote sectors with the defaults, on a broker that needs no Kafka
     * client settings; the operator API checks tokens against a secret made for this process only
     * ({@code apiSecret} null).
     */
    public MinerSettings(String bootstrap, String registryUrl, String topicPrefix, long minerId, Path manifest,
                         List<Path> storage, Path events, Path chainLog, Duration epoch, long firstChallengeEpoch,
                         int partitionsPerDeadline, double winProbability, Duration winningBudget,
                         Duration workerGrace, Duration forceLocalBefore, Duration heartbeatStaleAfter,
                         Duration lagRefresh, String hash, boolean localProving, String windowGroup,
                         String winningGroup, int apiPort, String apiHost, short topicReplication) {
        this(bootstrap, registryUrl, topicPrefix, minerId, manifest, storage, events, chainLog, epoch,
                firstChallengeEpoch, partitionsPerDeadline, winProbability, winningBudget, workerGrace,
                forceLocalBefore, Silence.after(heartbeatStaleAfter), lagRefresh, hash, localProving, windowGroup,
                winningGroup, apiPort, apiHost, topicReplication, null, null, null, null);
    }

    /**
     * The settings resolved values describe, with the defaults that depend on other settings filled in.
     *
     * @throws ConfigException when the manifest does not exist
     */
    public static MinerSettings from(ConfigDef.Config c) {
        Path manifest = c.get(MANIFEST);
        if (!Files.exists(manifest)) {
            throw new ConfigException("--manifest " + manifest + " does not exist: pledge test sectors with "
                    + "`post-tool pledge --out DIR` and pass DIR/manifest.json");
        }
        Path manifestDir = Files.isDirectory(manifest) ? manifest : manifest.toAbsolutePath().getParent();
        // the paths are checked at start-up with the broker and the registry (StartupCheck), not here
        List<Path> paths = c.get(STORAGE).isEmpty() ? List.of(manifestDir) : c.get(STORAGE);
        Duration epoch = c.get(EPOCH);
        Duration budget = c.get(WINNING_BUDGET).isZero()
                ? max(Duration.ofSeconds(1), epoch.multipliedBy(2).dividedBy(3)) : c.get(WINNING_BUDGET);
        Duration forceLocal = c.get(FORCE_LOCAL_BEFORE).isZero() ? epoch.multipliedBy(10) : c.get(FORCE_LOCAL_BEFORE);
        return new MinerSettings(c.get(FleetKeys.BOOTSTRAP), c.get(FleetKeys.REGISTRY), c.get(FleetKeys.TOPIC_PREFIX),
                c.get(MINER), manifest, paths, pathOrNull(c.get(EVENTS)), pathOrNull(c.get(CHAIN_LOG)), epoch,
                c.get(FIRST_CHALLENGE_EPOCH), c.get(PARTITIONS_PER_DEADLINE), c.get(WIN_PROBABILITY), budget,
                c.get(WORKER_GRACE), forceLocal, c.get(HEARTBEAT_STALE_AFTER), c.get(LAG_REFRESH), c.get(FleetKeys.HASH),
                !c.get(NO_LOCAL_PROVING), c.get(WINDOW_GROUP), c.get(WINNING_GROUP), c.get(API_PORT), c.get(API_HOST),
                c.get(TOPIC_REPLICATION), c.get(STORAGE_LISTEN).isBlank() ? null
                        : StorageKeys.serveSettings(c, ServeSettings.parseListen(c.get(STORAGE_LISTEN)), "post-miner"),
                RemoteReadSettings.from(c, System.getenv()), StorageKeys.secret(c),
                KafkaClientSettings.resolve(c, System.getenv()));
    }

    /** A duration, or zero for the empty text (a default that depends on other settings). */
    static Duration optionalDuration(String text) {
        return text.isBlank() ? Duration.ZERO : DurationConverter.parse(text);
    }

    private static Path pathOrNull(String text) {
        return text.isBlank() ? null : Path.of(text);
    }

    private static boolean positive(Duration d) {
        return !d.isZero() && !d.isNegative();
    }

    private static boolean zeroOrPositive(Duration d) {
        return !d.isNegative();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
