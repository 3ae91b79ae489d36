package io.postfleet.miner.cli;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.MinerSettings;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.cli.ConfigDef;
import io.postfleet.proving.fleet.StartupCheck;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code post-miner run}: the miner on the embedded devnet chain. Before anything is opened, the storage paths it
 * proves from locally, the broker and the registry are checked ({@link StartupCheck}): a refusal is one line on
 * stderr and exit 2.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the miner's PoSt loop on the devnet chain: deadlines to the window fleet, "
        + "won elections to the winning fleet, results verified, local proving when no worker consumes.")
public final class RunCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Adds the miner's settings to this command's options. */
    static void defineOptions(CommandLine run) {
        MinerSettings.DEFINITION.addTo(run.getCommandSpec());
    }

    /** The settings these flags describe; a bad value is a ParameterException naming the flag. */
    public MinerSettings settings() {
        return MinerSettings.DEFINITION.build(spec, MinerSettings::from);
    }

    @Override
    public Integer call() throws Exception {
        ConfigDef.Config resolved = MinerSettings.DEFINITION.build(spec, c -> c);
        MinerSettings settings = settings();
        PrintStream out = System.out;
        out.println("post-miner: starting with");
        out.print(resolved.describe());
        out.print(settings.kafka().describe());
        out.flush();
        if (!new StartupCheck().passes(resolved, MinerSettings.STORAGE,
                settings.localProving() || settings.storageServe() != null ? settings.storage() : List.of(),
                settings.kafka(), spec.commandLine().getErr())) {
            return 2;
        }
        String apiFile = resolved.get(MinerSettings.API_FILE);
        Duration runFor = resolved.get(MinerSettings.RUN_FOR).isZero() ? null : resolved.get(MinerSettings.RUN_FOR);
        MinerApp app;
        try {
            app = new MinerApp(settings);
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String apiUrl = "http://" + settings.apiHost() + ":" + app.apiPort();
        if (!apiFile.isBlank()) {
            Files.writeString(Path.of(apiFile), apiUrl + "\n");
        }
        out.printf("post-miner t0%d: %d sectors of %s in %d partitions over %d deadlines; operator API %s%n",
                app.chain().minerId(), app.manifest().sectors().size(), app.manifest().sectorSize().label(),
                countPartitions(app), countDeadlines(app), apiUrl);
        out.println("post-miner: status page " + apiUrl + "/status?token=TOKEN (a token: post-miner auth create-token "
                + "--perm read); post-miner info and proving ... on this host sign their own");
        app.storageUrl().ifPresent(url -> out.println("post-miner: serving its storage paths to workers at " + url
                + " (tokens: post-miner auth api-info --perm admin)"));
        try {
            out.println("post-miner: " + app.operator().selfCheck());
        } catch (IllegalStateException e) {
            app.close();
            System.err.println("post-miner: " + e.getMessage());
            return 1;
        }
        if (resolved.get(MinerSettings.CONSOLE)) {
            app.events().onEvent(e -> out.println(consoleLine(e)));
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            app.close();
        }, "post-miner-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        // counted as they happen: the event log keeps only the latest events in memory
        java.util.concurrent.atomic.AtomicLong submittedCount = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong missedCount = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong winningCount = new java.util.concurrent.atomic.AtomicLong();
        app.events().onEvent(e -> {
            if (e.type() == EventType.SUBMITTED && e.taskId() == null
                    && !Boolean.TRUE.equals(e.details().get("dry_run"))) {
                submittedCount.incrementAndGet();
            } else if (e.type() == EventType.SUBMITTED) {
                winningCount.incrementAndGet();
            } else if (e.type() == EventType.MISSED) {
                missedCount.incrementAndGet();
            }
        });
        app.start();
        if (runFor == null) {
            stop.await();
            return 0;
        }
        stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS);
        long submitted = submittedCount.get();
        long missed = missedCount.get();
        long winning = winningCount.get();
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
