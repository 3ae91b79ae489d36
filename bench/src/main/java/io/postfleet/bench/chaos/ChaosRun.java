package io.postfleet.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.TestSectors;
import io.postfleet.testkit.EmbeddedKafka;
import io.postfleet.testkit.SchemaRegistryProcess;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/chaos}: a devnet proving run of the whole fleet as separate processes (a broker, the schema registry,
 * the miner, three windowPoSt and two winningPoSt workers) while faults are injected on a schedule: workers killed
 * or frozen mid-proof, every window worker gone for a while, the broker stopped or killed and restarted, the
 * registry down, the miner killed with partitions in flight and started again, poison records on the task and result
 * topics (garbage, an unknown schema id, an incompatible schema, oversized), sector files truncated, gone or slow for
 * a while, a rogue worker's results. It stops by itself once the last deadline with sectors settled, stops everything
 * it started, and reports from the miner's events file and the devnet's chain log: faults by kind, deadlines on
 * chain (and any submitted twice), missed, partitions proven, faulty by design and lost, rejected results with
 * reasons, duplicates dropped, the miner's restarts, per fault kind the time to the next accepted proof, and the
 * failover time from a lost worker to its task started elsewhere. The report is printed and written as
 * {@code chaos.json}, with a timeline picture, {@code chaos.png}. Exit 0 only when no partition was lost, no
 * deadline missed and every deadline is on chain once.
 */
public final class ChaosRun {

    static final long MINER = 1000;
    static final int PARTITIONS_PER_DEADLINE = 2;
    static final ObjectMapper JSON = new ObjectMapper();

    /** What can be done to the fleet. */
    enum Fault {
        WORKER_KILL, WORKER_FREEZE, WINDOW_WORKERS_GONE, BROKER_TERM, BROKER_KILL, REGISTRY_DOWN, POISON_GARBAGE,
        POISON_UNKNOWN_SCHEMA, POISON_INCOMPATIBLE_SCHEMA, POISON_OVERSIZED, RESULT_GARBAGE, SECTOR_TRUNCATED,
        SECTOR_VANISHED, SECTOR_SLOW, ROGUE_WRONG_PROOF, ROGUE_OTHER_TASK, ROGUE_UNKNOWN_TASK, MINER_KILL;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One injected fault: what, when, to what. */
    record Injected(Fault fault, Instant at, String target) {
    }

    /** The run's options. */
    record Options(int deadlines, int faults, Duration epoch, Path out, long seed, List<Fault> kinds) {
    }

    private final Options o;
    private final Random random;
    private final List<Injected> injected = new ArrayList<>();
    private final List<ChildJvm> windowWorkers = new ArrayList<>();
    private final List<ChildJvm> winningWorkers = new ArrayList<>();
    private ChildJvm broker;
    private ChildJvm miner;
    private SchemaRegistryProcess registry;
    private int registryPort;
    private String bootstrap;
    private Path work;
    private Manifest manifest;
    private final Topics topics = Topics.defaults();

    ChaosRun(Options o) {
        this.o = o;
        this.random = new Random(o.seed());
    }

    public static void main(String[] args) throws Exception {
        // the run's own clients (poison records, the rogue) fail by design while the broker is down: errors only
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
        io.postfleet.messaging.ClientLogs.quietByDefault();
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scripts/chaos: " + e.getMessage() + " (see scripts/chaos --help)");
            System.exit(2);
            return;
        }
        if (o == null) {
            return;
        }
        System.exit(new ChaosRun(o).run().passed() ? 0 : 1);
    }

    static Options parse(String[] args) {
        int deadlines = 48;
        int faults = 72;
        Duration epoch = Duration.ofMillis(250);
        Path out = Path.of("chaos-" + Instant.now().toString().replace(":", "").substring(0, 15));
        long seed = 1;
        List<Fault> kinds = List.of(Fault.values());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println("usage: scripts/chaos [--deadlines N] [--faults N] [--epoch DURATION] [--out DIR] "
                        + "[--seed N] [--kinds K,K...]\n  (scripts/chaos --help says what each does)");
                return null;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--deadlines" -> deadlines = Integer.parseInt(v);
                    case "--faults" -> faults = Integer.parseInt(v);
                    case "--epoch" -> epoch = io.postfleet.cli.DurationConverter.parse(v);
                    case "--out" -> out = Path.of(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--kinds" -> kinds = java.util.Arrays.stream(v.split(",")).map(ChaosRun::fault).toList();
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(a + " " + v + " is not a number");
            }
        }
        if (deadlines < 1 || deadlines > 48) {
            throw new IllegalArgumentException("--deadlines must be 1..48 (one proving period)");
        }
        return new Options(deadlines, faults, epoch, out, seed, kinds);
    }

    /** The fault kind named {@code label} ({@code worker_kill} or {@code worker-kill}). */
    static Fault fault(String label) {
        String name = label.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Fault f : Fault.values()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("--kinds: '" + label.strip() + "' is not a fault kind; the kinds are "
                + String.join(", ", java.util.Arrays.stream(Fault.values()).map(Fault::label).toList()));
    }

    /** The outcome. */
    record Report(ObjectNode json, boolean passed) {
    }

    Report run() throws Exception {
        work = o.out().toAbsolutePath();
        Files.createDirectories(work);
        Instant began = Instant.now();
        try {
            startFleet();
            long runMillis = (long) (o.deadlines() * 60 + 90) * o.epoch().toMillis();
            System.out.printf(Locale.ROOT, "chaos: %d deadlines of %d partitions, epoch %d ms (about %d s), %d faults "
                            + "of %s; work in %s%n", o.deadlines(), PARTITIONS_PER_DEADLINE, o.epoch().toMillis(),
                    runMillis / 1000, o.faults(), o.kinds().stream().map(Fault::label).toList(), work);
            EventTail events = new EventTail(work.resolve("events.jsonl"));
            Thread supervisor = new Thread(this::supervise, "chaos-supervisor");
            supervisor.setDaemon(true);
            supervisor.start();
            injectFaults(events, runMillis);
            awaitLastDeadline(events, Duration.ofMillis(runMillis * 2 + 120_000));
            Report r = report(events, began);
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r.json()));
            Timeline.draw(events.all(), injected, began, work.resolve("chaos.png"));
            System.out.println("chaos: " + (r.passed() ? "PASSED" : "FAILED") + ": " + r.json().get("summary").asText()
                    + "; report " + work.resolve("chaos.json") + ", timeline " + work.resolve("chaos.png"));
            return r;
        } finally {
            stopAll();
        }
    }

    private void startFleet() throws Exception {
        int port = EmbeddedKafka.freePort();
        bootstrap = "127.0.0.1:" + port;
        broker = new ChildJvm("broker", "io.postfleet.testkit.KafkaServerMain", List.of("--port",
                Integer.toString(port), "--data-dir", work.resolve("kafka").toString(), "--log-file",
                work.resolve("logs/broker.log").toString()), work.resolve("logs/broker.out")).start();
        if (!broker.awaitLog(bootstrap, Duration.ofSeconds(120))) {
            throw new IllegalStateException("the broker did not start: " + broker.log());
        }
        registryPort = EmbeddedKafka.freePort();
        startRegistry();
        Path storage = work.resolve("storage");
        int sectors = o.deadlines() * PARTITIONS_PER_DEADLINE * SectorSize.KIB_2.windowPartitionSectors();
        manifest = new TestSectors(new CpuHashBackend()).pledge(storage, SectorSize.KIB_2, MINER, sectors, 0,
                o.seed(), false, n -> { });
        String registryUrl = registry.url();
        List<String> common = List.of("--bootstrap", bootstrap, "--registry", registryUrl);
        List<String> minerArgs = new ArrayList<>(List.of("run"));
        minerArgs.addAll(common);
        minerArgs.addAll(List.of("--manifest", storage.resolve(Manifest.FILE_NAME).toString(), "--storage",
                storage.toString(), "--epoch", o.epoch().toMillis() + "ms", "--partitions-per-deadline",
                Integer.toString(PARTITIONS_PER_DEADLINE), "--win-probability", "0.02", "--winning-budget", "3s",
                "--worker-grace", "10s", "--force-local-before", (30 * o.epoch().toMillis()) + "ms",
                "--events", work.resolve("events.jsonl").toString(), "--chain-log", chainLog().toString(),
                "--api-port", "0",
                "--secret", work.resolve("token-secret").toString()));
        miner = new ChildJvm("miner", "io.postfleet.miner.cli.PostMiner", minerArgs, work.resolve("logs/miner.log"))
                .start();
        for (int i = 1; i <= 3; i++) {
            windowWorkers.add(worker("window-" + i, "--windowpost", common, storage));
        }
        for (int i = 1; i <= 2; i++) {
            winningWorkers.add(worker("winning-" + i, "--winningpost", common, storage));
        }
        for (ChildJvm w : all()) {
            if (!w.awaitLog("started, consuming", Duration.ofSeconds(120))) {
                throw new IllegalStateException(w.name + " did not start: " + w.log());
            }
        }
        if (!miner.awaitLog("operator API", Duration.ofSeconds(120))) {
            throw new IllegalStateException("the miner did not start: " + miner.log());
        }
    }

    private void startRegistry() {
        registry = SchemaRegistryProcess.builder().port(registryPort).dataDir(work.resolve("registry"))
                .logFile(work.resolve("logs/registry.log")).start();
    }

    private ChildJvm worker(String id, String kind, List<String> common, Path storage) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", kind));
        args.addAll(common);
        args.addAll(List.of("--storage", storage.toString(), "--worker-id", id, "--prove-delay",
                kind.equals("--windowpost") ? "1500ms" : "0ms", "--hash", "auto", "--sector-timeout",
                SECTOR_TIMEOUT.toMillis() + "ms", "--read-delay-file", readDelays().toString()));
        return new ChildJvm(id, "io.postfleet.worker.cli.PostWorkerMain", args, work.resolve("logs/" + id + ".log"))
                .start();
    }

    /** The workers' sector time-out; a slow sector's reads take {@link #SLOW_READ}, well past it. */
    static final Duration SECTOR_TIMEOUT = Duration.ofSeconds(3);
    static final Duration SLOW_READ = Duration.ofSeconds(8);

    /** The file the workers' {@code --read-delay-file} names: the slow-storage drill writes it. */
    private Path readDelays() {
        return work.resolve("read-delays");
    }

    private Path chainLog() {
        return work.resolve("chain.jsonl");
    }

    private List<ChildJvm> all() {
        List<ChildJvm> a = new ArrayList<>(windowWorkers);
        a.addAll(winningWorkers);
        return a;
    }

    /**
     * Faults spread evenly over the deadlines' span, kinds in turn from a shuffled list. Each fault runs on its own
     * thread, so faults overlap (a broker restart while a worker is frozen); one that needs a process another fault
     * holds waits for it, so no process is started twice.
     */
    private void injectFaults(EventTail events, long runMillis) throws Exception {
        long start = System.currentTimeMillis();
        // faults begin once proving has begun
        events.await(e -> e.path("type").asText().equals("accepted"), Duration.ofSeconds(120));
        long left = runMillis - (System.currentTimeMillis() - start) - 15_000;
        long spacing = Math.max(500, left / Math.max(1, o.faults()));
        List<Fault> order = new ArrayList<>();
        while (order.size() < o.faults()) {
            List<Fault> round = new ArrayList<>(o.kinds());
            java.util.Collections.shuffle(round, random);
            order.addAll(round);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();
        List<java.util.concurrent.Future<?>> running = new ArrayList<>();
        long first = System.currentTimeMillis();
        for (int i = 0; i < o.faults(); i++) {
            long wait = first + i * spacing - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            Fault f = order.get(i);
            running.add(pool.submit(() -> {
                inject(f, events);
                return null;
            }));
        }
        pool.shutdown();
        for (java.util.concurrent.Future<?> r : running) {
            try {
                r.get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                System.out.println("chaos: a fault could not be carried out: " + e.getCause());
            }
        }
    }

    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Starts again a worker that exited while no fault holds it, as a supervisor would (compose's
     * {@code restart: unless-stopped}, systemd's {@code Restart=always}): a worker started while the broker or the
     * registry is down refuses to start, by design, and is started again a moment later.
     */
    private void supervise() {
        while (!stopping) {
            for (ChildJvm w : all()) {
                java.util.concurrent.locks.ReentrantLock l = locks.computeIfAbsent(w.name,
                        k -> new java.util.concurrent.locks.ReentrantLock());
                if (!w.alive() && l.tryLock()) {
                    try {
                        if (!stopping && !w.alive()) {
                            w.start();
                            restarts.incrementAndGet();
                            System.out.printf(Locale.ROOT, "chaos: %s  %-22s %s%n", Instant.now(), "(restarted)",
                                    w.name + " had exited");
                        }
                    } catch (IOException e) {
                        System.out.println("chaos: cannot start " + w.name + " again: " + e.getMessage());
                    } finally {
                        l.unlock();
                    }
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One lock per thing a fault breaks: each worker, the broker, the registry, the sector files. */
    private final Map<String, java.util.concurrent.locks.ReentrantLock> locks = new java.util.concurrent.ConcurrentHashMap<>();

    private void locked(List<String> things, java.util.concurrent.Callable<Void> action) throws Exception {
        List<String> sorted = things.stream().sorted().toList();
        List<java.util.concurrent.locks.ReentrantLock> held = new ArrayList<>();
        try {
            for (String t : sorted) {
                java.util.concurrent.locks.ReentrantLock l = locks.computeIfAbsent(t,
                        k -> new java.util.concurrent.locks.ReentrantLock());
                l.lock();
                held.add(l);
            }
            action.call();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }

    private void inject(Fault f, EventTail events) throws Exception {
        String target = switch (f) {
            case WORKER_KILL -> {
                ChildJvm w = awaitBusy(events, windowWorkers);
                locked(List.of(w.name), () -> {
                    w.kill();
                    note(f, w.name);
                    Thread.sleep(3000);
                    w.start();
                    return null;
                });
                yield null;
            }
            case WORKER_FREEZE -> {
                ChildJvm w = awaitBusy(events, windowWorkers);
                locked(List.of(w.name), () -> {
                    w.signal("STOP");
                    note(f, w.name);
                    Thread.sleep(7000); // past the broker's 6 s session: its partitions move, its task was handed on
                    w.signal("CONT");
                    return null;
                });
                yield null;
            }
            case WINDOW_WORKERS_GONE -> {
                locked(windowWorkers.stream().map(w -> w.name).toList(), () -> {
                    for (ChildJvm w : windowWorkers) {
                        w.kill();
                    }
                    note(f, "every window worker");
                    Thread.sleep(8000);
                    for (ChildJvm w : windowWorkers) {
                        w.start();
                    }
                    return null;
                });
                yield null;
            }
            case BROKER_TERM, BROKER_KILL -> {
                locked(List.of("broker"), () -> {
                    if (f == Fault.BROKER_TERM) {
                        broker.terminate(Duration.ofSeconds(30));
                    } else {
                        broker.kill();
                    }
                    note(f, "broker");
                    Thread.sleep(2000);
                    broker.start();
                    if (!broker.awaitLog(bootstrap, Duration.ofSeconds(120))) {
                        throw new IllegalStateException("the broker did not come back: " + broker.log());
                    }
                    return null;
                });
                yield null;
            }
            case REGISTRY_DOWN -> {
                locked(List.of("registry"), () -> {
                    registry.close();
                    note(f, "registry");
                    Thread.sleep(5000);
                    startRegistry();
                    return null;
                });
                yield null;
            }
            case POISON_GARBAGE -> {
                byte[] junk = new byte[64];
                random.nextBytes(junk);
                yield send(topics.windowTasks(), junk) ? topics.windowTasks() : "(not written)";
            }
            case POISON_UNKNOWN_SCHEMA -> {
                // Confluent's wire format: magic byte 0, a 4-byte schema id no registry knows, then anything
                yield send(topics.windowTasks(), ByteBuffer.allocate(24).put((byte) 0).putInt(987_654_321).array())
                        ? topics.windowTasks() : "(not written)";
            }
            case POISON_INCOMPATIBLE_SCHEMA -> {
                String[] sent = new String[1];
                locked(List.of("registry"), () -> {
                    sent[0] = incompatibleRecord();
                    return null;
                });
                yield sent[0];
            }
            case POISON_OVERSIZED -> {
                byte[] big = new byte[900 * 1024];
                random.nextBytes(big);
                yield send(topics.winningTasks(), big) ? topics.winningTasks() : "(not written)";
            }
            case RESULT_GARBAGE -> {
                byte[] junk = new byte[128];
                random.nextBytes(junk);
                yield send(topics.results(), junk) ? topics.results() : "(not written)";
            }
            case ROGUE_WRONG_PROOF, ROGUE_OTHER_TASK, ROGUE_UNKNOWN_TASK -> {
                yield rogue(f, events);
            }
            case SECTOR_SLOW -> {
                Path sealed = upcomingSealedFile(events);
                long sector = Long.parseLong(sealed.getFileName().toString().replaceAll(".*-", ""));
                locked(List.of("sector " + sealed), () -> {
                    Files.writeString(readDelays(), sector + " " + SLOW_READ.toMillis() + "ms\n");
                    note(f, "sector " + sector + " reads take " + SLOW_READ.toSeconds() + " s (time-out "
                            + SECTOR_TIMEOUT.toSeconds() + " s)");
                    Thread.sleep(60L * o.epoch().toMillis()); // about one deadline
                    Files.deleteIfExists(readDelays());
                    return null;
                });
                yield null;
            }
            case MINER_KILL -> {
                // the broker and registry up: a miner refuses to start without them, by design
                locked(List.of("miner", "broker", "registry"), () -> {
                    awaitProofsInFlight(events);
                    miner.kill();
                    note(f, "miner");
                    for (int attempt = 1; ; attempt++) {
                        miner.start();
                        if (miner.awaitLog("operator API", Duration.ofSeconds(120))) {
                            break;
                        }
                        if (attempt == 3) {
                            throw new IllegalStateException("the miner did not start again: " + miner.log());
                        }
                    }
                    return null;
                });
                yield null;
            }
            case SECTOR_TRUNCATED, SECTOR_VANISHED -> {
                Path sealed = upcomingSealedFile(events);
                locked(List.of("sector " + sealed), () -> {
                    Path kept = sealed.resolveSibling(sealed.getFileName() + ".chaos");
                    Files.copy(sealed, kept, StandardCopyOption.REPLACE_EXISTING);
                    if (f == Fault.SECTOR_TRUNCATED) {
                        try (var ch = java.nio.channels.FileChannel.open(sealed,
                                java.nio.file.StandardOpenOption.WRITE)) {
                            ch.truncate(Files.size(sealed) / 2);
                        }
                    } else {
                        Files.delete(sealed);
                    }
                    note(f, sealed.getFileName().toString());
                    Thread.sleep(60L * o.epoch().toMillis()); // about one deadline
                    Files.move(kept, sealed, StandardCopyOption.REPLACE_EXISTING);
                    return null;
                });
                yield null;
            }
        };
        if (target != null) {
            note(f, target);
        }
    }

    /** Records a fault as done now, the moment it took effect. */
    private void note(Fault f, String target) {
        synchronized (injected) {
            injected.add(new Injected(f, Instant.now(), target));
        }
        System.out.printf(Locale.ROOT, "chaos: %s  %-22s %s%n", Instant.now(), f.label(), target);
    }

    /**
     * A rogue worker's result, well formed and registered like any worker's: built from a real result read off the
     * results topic, sent for the newest window task that has no accepted proof yet (or for a task id nobody
     * published). {@code rogue_wrong_proof} flips a byte of the proof (its checksum made to match, so only
     * verification can tell); {@code rogue_other_task} sends another task's valid proof. The miner must refuse both
     * and still prove the partition; an unknown task's result must change nothing.
     */
    private String rogue(Fault f, EventTail events) {
        io.postfleet.schemas.PostResult real = realResult();
        for (int attempt = 1; real == null && attempt < 3; attempt++) { // the broker may be restarting
            real = realResult();
        }
        if (real == null) {
            return "(no result on the topic to copy yet)";
        }
        String target;
        if (f == Fault.ROGUE_UNKNOWN_TASK) {
            target = "w-" + MINER + "-999999999-0-0";
        } else {
            // the next deadline's tasks are open for a couple of seconds after they are published
            long until = System.nanoTime() + Duration.ofSeconds(60L * o.epoch().toMillis() / 1000 + 10).toNanos();
            target = openWindowTask(events, real.getTaskId());
            while (target == null && System.nanoTime() < until) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "(interrupted)";
                }
                target = openWindowTask(events, real.getTaskId());
            }
            if (target == null) {
                return "(no open window task)";
            }
        }
        io.postfleet.schemas.PostResult.Builder b = io.postfleet.schemas.PostResult.newBuilder(real)
                .setTaskId(target).setWorkerId("rogue-1");
        if (f == Fault.ROGUE_WRONG_PROOF) {
            byte[] chunk = new byte[real.getProofChunk().remaining()];
            real.getProofChunk().duplicate().get(chunk);
            chunk[chunk.length / 2] ^= 0x5a;
            b.setProofChunk(ByteBuffer.wrap(chunk));
            try {
                b.setProofSha256(new io.postfleet.schemas.Bytes32(
                        java.security.MessageDigest.getInstance("SHA-256").digest(chunk)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        Properties p = producerProperties();
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class);
        p.putAll(io.postfleet.messaging.serde.AvroSerdes.producerConfig(registry.url()));
        String failed = sendForAMinute(() -> new KafkaProducer<String, Object>(p),
                new ProducerRecord<>(topics.results(), target, b.build()));
        return failed == null ? target + " from rogue-1" : "(not sent: " + failed + ")";
    }

    /**
     * Waits until a deadline's tasks are out with workers: one of them started by a worker, not the miner's own prover
     * (a deadline's tasks are published together). The miner is then killed with its partitions in flight; the
     * workers go on proving, and the miner started again must read their results back.
     */
    private void awaitProofsInFlight(EventTail events) throws InterruptedException {
        Instant from = Instant.now();
        // while the fleet is down the miner proves deadlines itself: wait for one the workers have, several deadlines
        // if need be
        events.await(e -> e.path("type").asText().equals("started") && e.path("task_id").asText().startsWith("w-")
                && !io.postfleet.miner.fallback.FallbackController.LOCAL_WORKER.equals(e.path("worker").asText())
                && Instant.parse(e.path("ts").asText()).isAfter(from), Duration.ofMillis(6L * 60 * o.epoch().toMillis()));
    }

    /**
     * A task record written with a schema the registry holds but that is incompatible with the task schema: same
     * record name, registered under an artifact of its own (the task topic's artifact would refuse it), one field of
     * another type and the required fields missing. The worker's reader cannot resolve it into a task: it must go to
     * the dead-letter topic.
     */
    private String incompatibleRecord() throws Exception {
        String schema = "{\"type\":\"record\",\"name\":\"WindowPostTask\",\"namespace\":\"io.postfleet.schemas\","
                + "\"fields\":[{\"name\":\"task_id\",\"type\":\"long\"}]}";
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build();
        java.net.http.HttpResponse<String> created = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(io.postfleet.messaging.serde.AvroSerdes.apiUrl(registry.url())
                                + "/groups/default/artifacts?ifExists=RETURN_OR_UPDATE"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Registry-ArtifactId", "chaos-incompatible-window-task")
                .header("X-Registry-ArtifactType", "AVRO")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(schema)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() / 100 != 2) {
            return "(the registry refused the schema: " + created.statusCode() + " " + created.body() + ")";
        }
        int contentId = JSON.readTree(created.body()).path("contentId").asInt();
        // Confluent's wire format: magic byte 0, the 4-byte id, then the Avro binary of {task_id: 42} (zig-zag 84)
        return send(topics.windowTasks(), ByteBuffer.allocate(6).put((byte) 0).putInt(contentId).put((byte) 84).array())
                ? topics.windowTasks() + " (schema content id " + contentId + ")" : "(not written)";
    }

    /** The newest window result of a single record on the results topic. */
    private io.postfleet.schemas.PostResult realResult() {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class);
        p.putAll(io.postfleet.messaging.serde.AvroSerdes.consumerConfig(registry.url()));
        io.postfleet.schemas.PostResult found = null;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, Object>(p)) {
            List<org.apache.kafka.common.TopicPartition> parts = consumer.partitionsFor(topics.results()).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(topics.results(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < until && parts.stream().anyMatch(t -> consumer.position(t) < end.get(t))) {
                org.apache.kafka.clients.consumer.ConsumerRecords<String, Object> batch;
                try {
                    batch = consumer.poll(Duration.ofMillis(200));
                } catch (org.apache.kafka.common.errors.RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1); // a poison record (result_garbage): past it
                    continue;
                }
                for (var r : batch) {
                    if (r.value() instanceof io.postfleet.schemas.PostResult pr
                            && pr.getKind() == io.postfleet.schemas.PostKind.WINDOW && pr.getChunkCount() == 1
                            && pr.getOutcome() == io.postfleet.schemas.Outcome.PROVEN
                            && !pr.getWorkerId().startsWith("rogue")) {
                        found = pr;
                    }
                }
            }
        } catch (RuntimeException e) {
            return found;
        }
        return found;
    }

    /** The newest published window task without an accepted proof, other than {@code not}. */
    private static String openWindowTask(EventTail events, String not) {
        java.util.Set<String> accepted = new java.util.HashSet<>();
        List<String> published = new ArrayList<>();
        for (JsonNode e : events.all()) {
            if (e.path("deadline").isNull() || e.path("task_id").isNull()) {
                continue;
            }
            String t = e.path("task_id").asText();
            switch (e.path("type").asText()) {
                case "published" -> published.add(t);
                case "accepted", "missed" -> accepted.add(t);
                default -> { }
            }
        }
        for (int i = published.size() - 1; i >= 0; i--) {
            String t = published.get(i);
            if (!accepted.contains(t) && !t.equals(not) && !t.startsWith("dry-")) {
                return t;
            }
        }
        return null;
    }

    /**
     * A window worker proving now, waiting (up to a deadline's time) for one to start a task when none is: a kill or
     * a freeze lands mid-proof. Any worker when none starts.
     */
    private ChildJvm awaitBusy(EventTail events, List<ChildJvm> workers) throws InterruptedException {
        ChildJvm busy = busyOrNull(events, workers);
        if (busy != null) {
            return busy;
        }
        Instant from = Instant.now();
        java.util.Set<String> names = new java.util.HashSet<>();
        workers.forEach(w -> names.add(w.name));
        try {
            JsonNode started = events.await(e -> e.path("type").asText().equals("started")
                    && names.contains(e.path("worker").asText())
                    && Instant.parse(e.path("ts").asText()).isAfter(from), Duration.ofMillis(60L * o.epoch().toMillis()));
            for (ChildJvm w : workers) {
                if (w.name.equals(started.path("worker").asText()) && w.alive()) {
                    return w;
                }
            }
        } catch (IllegalStateException none) {
            // no worker started a task meanwhile
        }
        return workers.get(random.nextInt(workers.size()));
    }

    /** A window worker proving now (its STARTED without an answer yet), else null. */
    private ChildJvm busyOrNull(EventTail events, List<ChildJvm> workers) {
        Map<String, String> inHand = new LinkedHashMap<>();
        for (JsonNode e : events.all()) {
            String type = e.path("type").asText();
            String worker = e.path("worker").asText("");
            if (type.equals("started")) {
                inHand.put(worker, e.path("task_id").asText());
            } else if (type.equals("accepted") || type.equals("duplicate") || type.equals("rejected")) {
                inHand.remove(worker);
            }
        }
        for (ChildJvm w : workers) {
            if (inHand.containsKey(w.name) && w.alive()) {
                return w;
            }
        }
        return null;
    }

    /** The sealed file of a sector in the deadline after the one being proven now. */
    private Path upcomingSealedFile(EventTail events) {
        int latest = 0;
        for (JsonNode e : events.all()) {
            if (e.path("type").asText().equals("published") && !e.path("deadline").isNull()) {
                latest = Math.max(latest, e.path("deadline").asInt());
            }
        }
        int deadline = Math.min(o.deadlines() - 1, latest + 1);
        int perDeadline = PARTITIONS_PER_DEADLINE * SectorSize.KIB_2.windowPartitionSectors();
        var entry = manifest.sectors().get(Math.min(manifest.sectors().size() - 1, deadline * perDeadline));
        return work.resolve("storage").resolve("sealed").resolve("s-t0" + MINER + "-" + entry.id());
    }

    /** A producer of the run's own records that gives up within seconds while the broker is down. */
    private Properties producerProperties() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return p;
    }

    /** Writes a poison record, trying again for a minute while the broker is away (a restart in progress). */
    private boolean send(String topic, byte[] value) {
        Properties p = producerProperties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576);
        String failed = sendForAMinute(() -> new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer()), new ProducerRecord<>(topic, "chaos".getBytes(), value));
        if (failed != null) {
            System.out.println("chaos: could not write a poison record to " + topic + ": " + failed);
        }
        return failed == null;
    }

    /**
     * Sends {@code record} with a producer from {@code producers}, a fresh one per attempt, trying again for a minute
     * while the broker is away (a restart in progress).
     *
     * @return null once it is acknowledged, else why the last attempt failed
     */
    private static <K, V> String sendForAMinute(java.util.function.Supplier<KafkaProducer<K, V>> producers,
                                                ProducerRecord<K, V> record) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (KafkaProducer<K, V> producer = producers.get()) {
                producer.send(record).get(30, TimeUnit.SECONDS);
                return null;
            } catch (Exception e) {
                if (System.nanoTime() > until) {
                    return e.getMessage();
                }
            }
        }
    }

    private void awaitLastDeadline(EventTail events, Duration timeout) throws Exception {
        int last = o.deadlines() - 1;
        events.await(e -> e.path("task_id").isNull() && e.path("deadline").asInt(-1) == last
                && (e.path("type").asText().equals("submitted") || e.path("type").asText().equals("missed"))
                && !e.path("dry_run").asBoolean(false), timeout);
    }

    private Report report(EventTail tail, Instant began) throws IOException {
        List<JsonNode> events = tail.all();
        Map<String, Integer> faultsByKind = new TreeMap<>();
        List<String> notCarriedOut = new ArrayList<>();
        List<Injected> effective = new ArrayList<>();
        for (Injected i : injected) {
            if (i.target().startsWith("(")) { // "(no open window task)", "(not written)": nothing was done
                notCarriedOut.add(i.fault().label() + " " + i.target());
                continue;
            }
            effective.add(i);
            faultsByKind.merge(i.fault().label(), 1, Integer::sum);
        }
        int submitted = 0;
        int missed = 0;
        int winningSubmitted = 0;
        int winningMissed = 0;
        Map<String, JsonNode> published = new LinkedHashMap<>();
        Map<String, JsonNode> accepted = new LinkedHashMap<>();
        java.util.Set<String> faulty = new java.util.TreeSet<>();
        Map<String, Integer> rejected = new TreeMap<>();
        int duplicates = 0;
        int reassigned = 0;
        List<ObjectNode> resumed = new ArrayList<>();
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            boolean deadline = e.path("task_id").isNull();
            String task = e.path("task_id").asText();
            switch (type) {
                case "submitted" -> {
                    if (deadline) {
                        submitted++;
                    } else {
                        winningSubmitted++;
                    }
                }
                case "missed" -> {
                    if (deadline) {
                        missed++;
                    } else {
                        winningMissed++;
                    }
                }
                case "published" -> {
                    if (!e.path("deadline").isNull()) {
                        published.putIfAbsent(task, e);
                    }
                }
                case "accepted" -> {
                    if (!e.path("deadline").isNull()) {
                        accepted.putIfAbsent(task, e);
                    }
                }
                case "fault" -> faulty.add(task);
                case "rejected" -> rejected.merge(reasonKind(e.path("reason").asText()), 1, Integer::sum);
                case "duplicate" -> duplicates++;
                case "reassigned" -> reassigned++;
                case "resumed" -> {
                    ObjectNode r = JSON.createObjectNode();
                    r.put("at", e.path("ts").asText());
                    r.put("deadline", e.path("deadline").asInt());
                    r.put("what", e.path("reason").asText());
                    resumed.add(r);
                }
                default -> { }
            }
        }
        // the run's period ends with its last deadline: a task of the next period, published before the run
        // stopped, is neither proven nor lost
        long lastChallenge = published.keySet().stream()
                .filter(t -> t.endsWith("-" + (o.deadlines() - 1) + "-0"))
                .mapToLong(ChaosRun::challengeEpoch).min().orElse(Long.MAX_VALUE);
        published.keySet().removeIf(t -> challengeEpoch(t) > lastChallenge);
        int lost = 0;
        for (String task : published.keySet()) {
            if (!accepted.containsKey(task)) {
                lost++;
            }
        }
        Map<Fault, List<Long>> recovery = new EnumMap<>(Fault.class);
        for (Injected i : effective) {
            for (JsonNode e : events) {
                if (e.path("type").asText().equals("accepted") && !e.path("deadline").isNull()
                        && Instant.parse(e.path("ts").asText()).isAfter(i.at())) {
                    recovery.computeIfAbsent(i.fault(), k -> new ArrayList<>())
                            .add(Duration.between(i.at(), Instant.parse(e.path("ts").asText())).toMillis());
                    break;
                }
            }
        }
        // the chain's own record: what was submitted, and whether any deadline was submitted twice
        Map<String, Integer> onChain = new TreeMap<>();
        java.util.Set<Integer> deadlinesOnChain = new java.util.TreeSet<>();
        if (Files.exists(chainLog())) {
            for (String line : Files.readAllLines(chainLog())) {
                JsonNode n = line.isBlank() ? null : JSON.readTree(line);
                if (n != null && !n.has("genesis")) {
                    onChain.merge(n.path("challengeEpoch").asLong() + "/" + n.path("deadline").asInt(), 1,
                            Integer::sum);
                    deadlinesOnChain.add(n.path("deadline").asInt());
                }
            }
        }
        int submittedTwice = (int) onChain.values().stream().filter(n -> n > 1).count();
        List<Long> failover = failoverMillis(events);
        ObjectNode json = JSON.createObjectNode();
        json.put("started", began.toString());
        json.put("seconds", Duration.between(began, Instant.now()).toSeconds());
        json.put("deadlines", o.deadlines());
        json.put("epoch_ms", o.epoch().toMillis());
        json.put("faults_injected", effective.size());
        json.set("faults_by_kind", JSON.valueToTree(faultsByKind));
        json.set("faults_not_carried_out", JSON.valueToTree(notCarriedOut));
        json.put("deadlines_submitted", submitted);
        json.put("deadlines_on_chain", deadlinesOnChain.size());
        json.put("deadlines_submitted_twice", submittedTwice);
        json.put("deadlines_missed", missed);
        json.put("winning_submitted", winningSubmitted);
        json.put("winning_missed", winningMissed);
        json.put("partitions_published", published.size());
        json.put("partitions_proven", published.keySet().stream().filter(accepted::containsKey).count());
        json.put("partitions_faulty_by_design", faulty.size());
        json.put("partitions_lost", lost);
        json.set("results_rejected", JSON.valueToTree(rejected));
        json.put("duplicates_dropped", duplicates);
        json.put("tasks_reassigned", reassigned);
        json.put("workers_restarted_after_exit", restarts.get());
        json.set("miner_resumed", JSON.valueToTree(resumed));
        ObjectNode fo = json.putObject("failover_ms");
        fo.put("what", "worker SIGKILL or SIGSTOP to its task started by another prover");
        fo.put("count", failover.size());
        fo.put("not_counted_miner_killed_meanwhile", failoverWithMinerDown);
        if (!failover.isEmpty()) {
            fo.put("p50", percentile(failover, 50));
            fo.put("p99", percentile(failover, 99));
            fo.put("max", failover.get(failover.size() - 1));
        }
        ObjectNode rec = json.putObject("recovery_ms");
        for (var e : recovery.entrySet()) {
            List<Long> v = new ArrayList<>(e.getValue());
            v.sort(Long::compare);
            ObjectNode k = rec.putObject(e.getKey().label());
            k.put("p50", v.get((v.size() - 1) / 2));
            k.put("max", v.get(v.size() - 1));
        }
        boolean passed = lost == 0 && missed == 0 && submittedTwice == 0 && deadlinesOnChain.size() == o.deadlines();
        json.put("summary", String.format(Locale.ROOT, "%d faults, %d/%d deadlines on chain (%d twice), %d missed, %d "
                        + "partitions proven, %d lost, %d faulty by design, %d winning proofs (%d missed), %d open "
                        + "deadlines taken back by a restarted miner", effective.size(), deadlinesOnChain.size(), o.deadlines(), submittedTwice, missed,
                published.keySet().stream().filter(accepted::containsKey).count(), lost, faulty.size(), winningSubmitted, winningMissed, resumed.size()));
        json.put("passed", passed);
        Files.writeString(work.resolve("chaos.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        return new Report(json, passed);
    }

    /**
     * For each worker killed or frozen while it held a task: the time from the fault to that task started by
     * another prover (a worker, or the miner), sorted.
     */
    private List<Long> failoverMillis(List<JsonNode> events) {
        List<Long> out = new ArrayList<>();
        failoverWithMinerDown = 0;
        for (Injected i : injected) {
            if (i.fault() != Fault.WORKER_KILL && i.fault() != Fault.WORKER_FREEZE) {
                continue;
            }
            String held = null;
            for (JsonNode e : events) {
                if (Instant.parse(e.path("ts").asText()).isAfter(i.at())) {
                    break;
                }
                if (!i.target().equals(e.path("worker").asText())) {
                    continue;
                }
                switch (e.path("type").asText()) {
                    case "started" -> held = e.path("task_id").asText();
                    case "accepted", "duplicate", "rejected" -> {
                        if (e.path("task_id").asText().equals(held)) {
                            held = null;
                        }
                    }
                    default -> { }
                }
            }
            if (held == null) {
                continue;
            }
            boolean settledBefore = false;
            for (JsonNode e : events) {
                Instant ts = Instant.parse(e.path("ts").asText());
                if (!held.equals(e.path("task_id").asText())) {
                    continue;
                }
                String type = e.path("type").asText();
                if (!ts.isAfter(i.at())) {
                    settledBefore |= type.equals("accepted");
                    continue;
                }
                if (settledBefore) {
                    break;
                }
                if ((type.equals("started") || type.equals("accepted")) && !i.target().equals(e.path("worker").asText())) {
                    // with the miner killed meanwhile nobody could hand the task on: that is the miner's restart
                    boolean minerDown = injected.stream().anyMatch(k -> k.fault() == Fault.MINER_KILL
                            && !k.at().isBefore(i.at().minusSeconds(10)) && k.at().isBefore(ts));
                    if (minerDown) {
                        failoverWithMinerDown++;
                    } else {
                        out.add(Duration.between(i.at(), ts).toMillis());
                    }
                    break;
                }
            }
        }
        out.sort(Long::compare);
        return out;
    }

    /** Failovers not measured because the miner was killed between the fault and the task starting elsewhere. */
    private int failoverWithMinerDown;

    /** The challenge epoch in a window task id, {@code w-<miner>-<challengeEpoch>-<deadline>-<partition>}. */
    static long challengeEpoch(String windowTaskId) {
        return Long.parseLong(windowTaskId.split("-")[2]);
    }

    /** The nearest-rank percentile of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String reasonKind(String reason) {
        int colon = reason.indexOf(':');
        String head = colon > 0 ? reason.substring(0, colon) : reason;
        return head.length() > 60 ? head.substring(0, 60) : head;
    }

    private void stopAll() {
        stopping = true;
        List<ChildJvm> everyone = new ArrayList<>(all());
        if (miner != null) {
            everyone.add(miner);
        }
        for (ChildJvm c : everyone) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (registry != null) {
            registry.close();
        }
        if (broker != null) {
            try {
                broker.terminate(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
