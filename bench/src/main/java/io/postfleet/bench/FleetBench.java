package io.postfleet.bench;

import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code scripts/bench}: starts a broker and the schema registry on 127.0.0.1 (free ports), then measures on
 * loopback, each with its own topics, groups and sectors:
 * <ol>
 *   <li>winning dispatch overhead: publish to verified result minus proving time (target p99 at most 50 ms);</li>
 *   <li>SIGKILL of a worker mid-proof to its task running on another worker (target at most 3 s: the miner hands the
 *   task on when the dead worker's heartbeats stop, before the broker's session time-out);</li>
 *   <li>publish to local proving with no workers (target: window within 5 s, winning at once).</li>
 * </ol>
 * Everything it starts is stopped at the end, also on failure.
 */
public final class FleetBench {

    static final double WINNING_OVERHEAD_P99_TARGET_MS = 50;
    static final double FAILOVER_TARGET_MS = 3_000;
    static final double LOCAL_WINDOW_TARGET_MS = 5_000;
    /** "At once": the local winning proof starts within the publishing call, well inside one tick. */
    static final double LOCAL_WINNING_TARGET_MS = 100;

    private static final Set<String> PARTS = Set.of("winning", "failover", "local", "remote");
    /** Run unless --only says otherwise; remote reads build a 32GiB-shaped partition (870 MB on disk), so on demand. */
    private static final List<String> DEFAULT_PARTS = List.of("winning", "failover", "local");
    private static final String USAGE = """
            usage: scripts/bench [--winning-tasks N] [--warmup N] [--kill-rounds N] [--local-rounds N]
                                 [--only winning,failover,local,remote] [--partition-dir DIR]
                                 [--remote-sectors N] [--keep]
              --winning-tasks N  winning tasks measured (default 200)
              --warmup N         winning tasks run first and not counted (default 400: the JIT of a JVM
                                 holding broker, miner and worker is still compiling for the first
                                 few hundred; they are reported on their own line)
              --kill-rounds N    SIGKILL rounds (default 5)
              --local-rounds N   window and winning tasks each proven locally with no workers (default 20)
              --only LIST        run only these measurements (default winning,failover,local; remote
                                 reads of a full 32GiB partition on loopback run with --only remote)
              --partition-dir D  where the remote measurement's sparse 32GiB partition is kept and reused
                                 (default: a temporary folder; post-tool bench --partition builds the same)
              --remote-sectors N sectors of that partition (default 2349, the full partition)
              --keep             keep the temporary folder (sectors, worker and registry logs)""";

    private FleetBench() {
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.log.kafka", "error");
        // the lag monitor warns on every refresh while a kind's group has no member yet (the failover fleet has no
        // winning workers): expected here, and it would bury the figures
        System.setProperty("org.slf4j.simpleLogger.log.io.postfleet.miner.lag.LagMonitor", "error");
        // the serde's schema cache logs a stack trace per failed registry call; the serializer reports it once
        System.setProperty("org.slf4j.simpleLogger.log.io.apicurio", "error");
        System.setProperty("org.slf4j.simpleLogger.log.io.postfleet.messaging.serde", "error");
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            boolean help = "help".equals(e.getMessage());
            (help ? System.out : System.err).println(help ? USAGE : "scripts/bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(help ? 0 : 2);
            return;
        }
        // a child worker process must not outlive the benchmark, even on Ctrl-C
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants()
                .forEach(ProcessHandle::destroyForcibly), "bench-stop-children"));
        int status;
        try {
            status = run(o);
        } catch (Exception e) {
            System.err.println("\nscripts/bench failed: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static int run(Options o) throws Exception {
        Path root = Files.createTempDirectory("postfleet-bench-");
        System.out.println("postfleet fleet benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println(machine());
        System.out.println("load average at start: " + loadAverage());
        List<String> verdicts = new ArrayList<>();
        long t0 = System.nanoTime();
        boolean finished = false;
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             SchemaRegistryProcess registry = SchemaRegistryProcess.builder()
                     .logFile(root.resolve("schema-registry.log")).start()) {
            System.out.printf("broker %s (in this JVM; group.consumer.session.timeout.ms=%s, "
                            + "group.consumer.heartbeat.interval.ms=%s), registry %s (started in %d ms)%n",
                    kafka.bootstrapServers(), EmbeddedKafka.FLEET_SETTINGS.get("group.consumer.session.timeout.ms"),
                    EmbeddedKafka.FLEET_SETTINGS.get("group.consumer.heartbeat.interval.ms"), registry.url(),
                    registry.startupTime().toMillis());
            String bootstrap = kafka.bootstrapServers();
            String url = registry.url();

            if (o.parts.contains("winning")) {
                StringBuilder settings = new StringBuilder();
                List<Sample> s = new WinningDispatch(bootstrap, url, root, o.warmup, o.winningTasks).run(settings);
                print("1. winning dispatch overhead", settings, s);
                System.out.println("  (*) wall clock against the worker's millisecond timestamps: the split of the "
                        + "overhead, +-1 ms; the second part includes the miner's verification");
                double p99 = s.get(0).percentile(99);
                verdicts.add(verdict("winning dispatch overhead p99 " + ms(p99) + " (target <= "
                        + ms(WINNING_OVERHEAD_P99_TARGET_MS) + ")", p99 <= WINNING_OVERHEAD_P99_TARGET_MS));
            }
            if (o.parts.contains("failover")) {
                StringBuilder settings = new StringBuilder();
                List<Sample> s = new Failover(bootstrap, url, root, o.killRounds).run(settings);
                print("2. SIGKILL to the task running again", settings, s);
                double max = s.get(0).max();
                verdicts.add(verdict("SIGKILL -> running again: median " + ms(s.get(0).percentile(50)) + ", max "
                        + ms(max) + " (target <= " + ms(FAILOVER_TARGET_MS) + ")", max <= FAILOVER_TARGET_MS));
            }
            if (o.parts.contains("local")) {
                StringBuilder settings = new StringBuilder();
                List<Sample> s = new LocalFallback(bootstrap, url, root, o.localRounds).run(settings);
                print("3. publish to local proving with no workers", settings, s);
                double window = s.get(0).percentile(99);
                double winning = s.get(2).percentile(99);
                verdicts.add(verdict("no workers, window: local proving started p99 " + ms(window) + " (target <= "
                        + ms(LOCAL_WINDOW_TARGET_MS) + ")", window <= LOCAL_WINDOW_TARGET_MS));
                verdicts.add(verdict("no workers, winning: local proving started p99 " + ms(winning)
                        + " (target: at once, <= " + ms(LOCAL_WINNING_TARGET_MS) + ")",
                        winning <= LOCAL_WINNING_TARGET_MS));
            }
            if (o.parts.contains("remote")) {
                RemoteReads.Result r = new RemoteReads(o.partitionDir != null ? o.partitionDir
                        : root.resolve("partition"), o.remoteSectors, root).run();
                System.out.println();
                System.out.println("4. remote vanilla reads on loopback against local reads");
                System.out.println("  settings: " + r.settings());
                System.out.printf(Locale.ROOT, "  per-sector remote read (request to answer, before its verification): "
                        + "p50 %s, p99 %s over %d reads%n", ms(r.p50Ms()), ms(r.p99Ms()), r.reads());
                System.out.printf(Locale.ROOT, "  partition proven, all local: %s; all remote: %s; remote/local %.2f%n",
                        ms(r.localMs()), ms(r.remoteMs()), r.ratio());
                verdicts.add(verdict(String.format(Locale.ROOT, "remote/local partition proving %.2f (target <= %.1f)",
                        r.ratio(), RemoteReads.RATIO_TARGET), r.ratio() <= RemoteReads.RATIO_TARGET));
            }
            finished = true;
        } finally {
            if (o.keep || !finished) {
                // after a failure the worker and registry logs in it say what went wrong
                System.out.println("kept " + root + " (sectors, worker and registry logs)");
            } else {
                deleteTree(root);
            }
        }
        System.out.println();
        System.out.println("targets:");
        verdicts.forEach(v -> System.out.println("  " + v));
        System.out.printf("load average at end: %s; whole run %d s%n", loadAverage(),
                Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        return 0;
    }

    private static void print(String title, StringBuilder settings, List<Sample> samples) {
        System.out.println();
        System.out.println(title);
        System.out.println("  settings: " + settings);
        System.out.println(Sample.header());
        samples.forEach(s -> System.out.println(s.row()));
    }

    private static String verdict(String what, boolean met) {
        return (met ? "MET     " : "MISSED  ") + what;
    }

    private static String ms(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.2f s", v / 1000) : String.format(Locale.ROOT, "%.1f ms", v);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count still says enough
        }
        return String.format("machine: %d cores (%s), %s %s; JDK %s (%s %s)",
                Runtime.getRuntime().availableProcessors(), cpu, System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.version(), System.getProperty("java.vm.vendor"),
                System.getProperty("java.vm.name"));
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2] + " (1, 5, 15 min)";
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Command-line options; a bad one is refused with what was expected. */
    record Options(int winningTasks, int warmup, int killRounds, int localRounds, Set<String> parts, boolean keep,
                   Path partitionDir, int remoteSectors) {

        static Options parse(String[] args) {
            int winningTasks = 200;
            int warmup = 400;
            int killRounds = 5;
            int localRounds = 20;
            Set<String> parts = new LinkedHashSet<>(DEFAULT_PARTS);
            boolean keep = false;
            Path partitionDir = null;
            int remoteSectors = 2349;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--winning-tasks" -> winningTasks = number(a, value(args, ++i, a), 1);
                    case "--warmup" -> warmup = number(a, value(args, ++i, a), 0);
                    case "--kill-rounds" -> killRounds = number(a, value(args, ++i, a), 1);
                    case "--local-rounds" -> localRounds = number(a, value(args, ++i, a), 1);
                    case "--only" -> {
                        parts = new LinkedHashSet<>(List.of(value(args, ++i, a).split(",")));
                        for (String p : parts) {
                            if (!PARTS.contains(p)) {
                                throw new IllegalArgumentException("--only: unknown measurement '" + p
                                        + "'; use a comma-separated list of winning, failover, local, remote");
                            }
                        }
                    }
                    case "--keep" -> keep = true;
                    case "--partition-dir" -> partitionDir = Path.of(value(args, ++i, a));
                    case "--remote-sectors" -> remoteSectors = Math.min(2349, number(a, value(args, ++i, a), 1));
                    case "-h", "--help" -> throw new IllegalArgumentException("help");
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            return new Options(winningTasks, warmup, killRounds, localRounds, Set.copyOf(parts), keep, partitionDir,
                    remoteSectors);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }

        private static int number(String flag, String v, int min) {
            try {
                int n = Integer.parseInt(v);
                if (n < min) {
                    throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " takes a whole number, got '" + v + "'");
            }
        }
    }
}
