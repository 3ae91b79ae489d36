package io.postfleet.miner.cli;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.cli.DurationConverter;
import io.postfleet.proving.fleet.ConsumerGroups;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code post-miner run}: the miner on the embedded devnet chain. */
@Command(name = "run", description = "Run the miner's PoSt loop on the devnet chain: deadlines to the window fleet, "
        + "won elections to the winning fleet, results verified, local proving when no worker consumes.")
public final class RunCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--manifest", required = true, paramLabel = "FILE",
            description = "The sectors the chain holds for this miner: a pledge manifest.json (or its directory).")
    Path manifest;

    @Option(names = "--storage", paramLabel = "PATH",
            description = "A storage path (Lotus layout) the miner proves from when no worker consumes; repeat for "
                    + "several (default: the manifest's directory).")
    List<Path> storage = new ArrayList<>();

    @Option(names = "--miner", paramLabel = "ACTOR", defaultValue = "-1",
            description = "The miner actor id, checked against the manifest (default: the manifest's).")
    long minerId;

    @Option(names = "--events", paramLabel = "FILE", description = "Append one JSON line per event to FILE.")
    Path events;

    @Option(names = "--chain-log", paramLabel = "FILE", description = "Devnet: append every submitted proof to FILE.")
    Path chainLog;

    @Option(names = "--epoch", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "Devnet epoch length: 30s like mainnet, 1s for a demo, down to 100ms in tests "
                    + "(default ${DEFAULT-VALUE}).")
    Duration epoch;

    @Option(names = "--first-challenge-epoch", paramLabel = "EPOCH", defaultValue = "3",
            description = "Devnet: the epoch deadline 0 is first challenged at (default ${DEFAULT-VALUE}).")
    long firstChallengeEpoch;

    @Option(names = "--partitions-per-deadline", paramLabel = "N", defaultValue = "4",
            description = "Devnet: partitions filled into a deadline before the next one (default ${DEFAULT-VALUE}).")
    int partitionsPerDeadline;

    @Option(names = "--win-probability", paramLabel = "P", defaultValue = "0.05",
            description = "Devnet: chance to win the election each epoch, 0 to 1 (default ${DEFAULT-VALUE}).")
    double winProbability;

    @Option(names = "--winning-budget", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time from an election to the block's due time (default: 2/3 of an epoch, at least 1s).")
    Duration winningBudget;

    @Option(names = "--worker-grace", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
            description = "After start-up, wait this long for workers before proving locally, unless a deadline is "
                    + "too close (default ${DEFAULT-VALUE}).")
    Duration workerGrace;

    @Option(names = "--force-local-before", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A task no worker has started this close to its deadline's close is proven locally even "
                    + "while workers are live (default: 10 epochs).")
    Duration forceLocalBefore;

    @Option(names = "--heartbeat-stale-after", paramLabel = "DURATION", defaultValue = "15s",
            converter = DurationConverter.class,
            description = "A worker silent for longer is not live; keep it above 2x the workers' "
                    + "--heartbeat-interval (default ${DEFAULT-VALUE}).")
    Duration heartbeatStaleAfter;

    @Option(names = "--lag-refresh", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How often the worker groups' members and lag are read (default ${DEFAULT-VALUE}).")
    Duration lagRefresh;

    @Option(names = "--gpu", paramLabel = "SPEC", defaultValue = "${env:POSTFLEET_GPU:-auto}",
            description = "Hash backend for verification and local proving: auto, cpu, opencl or opencl:N "
                    + "(env POSTFLEET_GPU; default ${DEFAULT-VALUE}).")
    String gpu;

    @Option(names = "--no-local-proving", description = "Never prove on the miner: only the fleet proves.")
    boolean noLocalProving;

    @Option(names = "--window-group", paramLabel = "ID", defaultValue = ConsumerGroups.WINDOW,
            description = "The windowPoSt workers' consumer group (default ${DEFAULT-VALUE}).")
    String windowGroup;

    @Option(names = "--winning-group", paramLabel = "ID", defaultValue = ConsumerGroups.WINNING,
            description = "The winningPoSt workers' consumer group (default ${DEFAULT-VALUE}).")
    String winningGroup;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "2346",
            description = "Port of the operator API and /metrics (0: any free port; default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--api-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the operator API binds to (default ${DEFAULT-VALUE}; 0.0.0.0 only inside a "
                    + "container network).")
    String apiHost;

    @Option(names = "--api-file", paramLabel = "FILE", description = "Write the operator API's URL to FILE once it listens.")
    Path apiFile;

    @Option(names = "--topic-replication", paramLabel = "N", defaultValue = "1",
            description = "Replication factor of topics the miner creates (default ${DEFAULT-VALUE}; 3 in production).")
    short topicReplication;

    @Option(names = "--console", description = "Print events as they happen, one readable line each.")
    boolean console;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after DURATION; exit 0 only if at least one deadline was submitted and none missed.")
    Duration runFor;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The settings these flags describe; a bad value is a ParameterException naming the flag. */
    public MinerSettings settings() {
        CommandLine cl = spec.commandLine();
        if (connection.bootstrap == null || connection.bootstrap.isBlank()) {
            throw new CommandLine.ParameterException(cl, "--bootstrap is missing: name the Kafka brokers, e.g. "
                    + "--bootstrap 127.0.0.1:9092, or set POSTFLEET_BOOTSTRAP");
        }
        if (connection.registry == null || connection.registry.isBlank()) {
            throw new CommandLine.ParameterException(cl, "--registry is missing: name the schema registry, e.g. "
                    + "--registry http://127.0.0.1:8080, or set POSTFLEET_REGISTRY");
        }
        if (!Files.exists(manifest)) {
            throw new CommandLine.ParameterException(cl, "--manifest " + manifest + " does not exist: pledge test "
                    + "sectors with `post-tool pledge --out DIR` and pass DIR/manifest.json");
        }
        Path manifestDir = Files.isDirectory(manifest) ? manifest : manifest.toAbsolutePath().getParent();
        List<Path> paths = storage.isEmpty() ? List.of(manifestDir) : storage;
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                throw new CommandLine.ParameterException(cl, "--storage " + p + " is not a directory: give a storage "
                        + "path holding sealed/ and cache/ (Lotus layout)");
            }
        }
        if (partitionsPerDeadline < 1) {
            throw new CommandLine.ParameterException(cl, "--partitions-per-deadline must be at least 1");
        }
        if (epoch.toMillis() < 100) {
            throw new CommandLine.ParameterException(cl, "--epoch " + epoch.toMillis() + "ms is too short: use 100ms "
                    + "or more");
        }
        if (!(winProbability >= 0 && winProbability <= 1)) {
            throw new CommandLine.ParameterException(cl, "--win-probability must be between 0 and 1, got "
                    + winProbability);
        }
        Duration budget = winningBudget != null ? winningBudget
                : max(Duration.ofSeconds(1), epoch.multipliedBy(2).dividedBy(3));
        Duration forceLocal = forceLocalBefore != null ? forceLocalBefore : epoch.multipliedBy(10);
        try {
            return new MinerSettings(connection.bootstrap, connection.registry, connection.topicPrefix, minerId,
                    manifest, paths, events, chainLog, epoch, firstChallengeEpoch, partitionsPerDeadline,
                    winProbability, budget, workerGrace, forceLocal, heartbeatStaleAfter, lagRefresh, gpu,
                    !noLocalProving, windowGroup, winningGroup, apiPort, apiHost, topicReplication);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public Integer call() throws Exception {
        MinerSettings settings = settings();
        PrintStream out = System.out;
        out.println("post-miner: starting with");
        out.println(settings.describe());
        MinerApp app;
        try {
            app = new MinerApp(settings);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String apiUrl = "http://" + settings.apiHost() + ":" + app.apiPort();
        if (apiFile != null) {
            Files.writeString(apiFile, apiUrl + "\n");
        }
        out.printf("post-miner t0%d: %d sectors of %s in %d partitions over %d deadlines; operator API %s%n",
                app.chain().minerId(), app.manifest().sectors().size(), app.manifest().sectorSize().label(),
                countPartitions(app), countDeadlines(app), apiUrl);
        try {
            out.println("post-miner: " + app.operator().selfCheck());
        } catch (IllegalStateException e) {
            app.close();
            System.err.println("post-miner: " + e.getMessage());
            return 1;
        }
        if (console) {
            app.events().onEvent(e -> out.println(consoleLine(e)));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            app.close();
        }, "post-miner-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        if (runFor == null) {
            stop.await();
            return 0;
        }
        stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        List<MinerEvent> history = app.events().history();
        long submitted = history.stream().filter(e -> e.type() == EventType.SUBMITTED && e.taskId() == null
                && !Boolean.TRUE.equals(e.details().get("dry_run"))).count();
        long missed = history.stream().filter(e -> e.type() == EventType.MISSED).count();
        long winning = history.stream().filter(e -> e.type() == EventType.SUBMITTED && e.taskId() != null).count();
        out.printf("post-miner: after %d s: %d deadlines submitted, %d winning proofs in time, %d missed%n",
                runFor.toSeconds(), submitted, winning, missed);
        app.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        return submitted >= 1 && missed == 0 ? 0 : 1;
    }

    private static int countPartitions(MinerApp app) {
        int n = 0;
        for (int d = 0; d < 48; d++) {
            n += app.chain().partitions(d).size();
        }
        return n;
    }

    private static int countDeadlines(MinerApp app) {
        int n = 0;
        for (int d = 0; d < 48; d++) {
            n += app.chain().partitions(d).isEmpty() ? 0 : 1;
        }
        return n;
    }

    /** One readable line per event: time, type, task, where, who, why. */
    static String consoleLine(MinerEvent e) {
        StringBuilder sb = new StringBuilder();
        sb.append(CLOCK.format(e.ts())).append("  ").append(String.format(Locale.ROOT, "%-16s", e.type().wireName()));
        if (e.deadline() >= 0) {
            sb.append(" deadline ").append(e.deadline());
            if (e.partition() >= 0) {
                sb.append(" partition ").append(e.partition());
            }
        } else if (e.taskId() != null) {
            sb.append(" winning ").append(e.taskId());
        }
        if (e.worker() != null) {
            sb.append(" by ").append(e.worker());
        }
        Object ms = e.details().get("since_publish_ms");
        if (ms != null) {
            sb.append(", ").append(ms).append(" ms after publishing");
        }
        Object proving = e.details().get("proving_ms");
        if (proving != null) {
            sb.append(" (proving ").append(proving).append(" ms)");
        }
        if (e.type() == EventType.SUBMITTED && e.details().get("partitions") != null) {
            sb.append(": ").append(e.details().get("partitions")).append(" partitions, faulty sectors ")
                    .append(e.details().get("faulty_sectors"));
        }
        if (e.reason() != null) {
            sb.append(": ").append(e.reason());
        }
        return sb.toString();
    }
}
