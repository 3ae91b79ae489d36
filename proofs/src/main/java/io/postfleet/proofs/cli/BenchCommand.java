package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.poseidon.Poseidon;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.SectorTree;
import io.postfleet.proofs.sector.TestSectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code bench}: the figures of the README, as medians over rounds: Poseidon arity-8 throughput of the backend,
 * tree_r_last build time, and window partition proofs per second for 2KiB and 8MiB sectors. With
 * {@code --partition 32GiB|64GiB}: a full-size window partition instead ({@link PartitionBench}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Print medians: Poseidon arity-8 hashes/s, tree_r_last build time (2KiB, 8MiB), window partition"
                + " proofs/s (2KiB, 8MiB sectors) on the selected backend. With --partition: build (or reuse) a"
                + " full-size partition of sparse sectors, prove it with the real prover, verify it, and print the"
                + " build, read, hash, prove and verify times.")
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HashOption hash;

    @Option(names = "--rounds", description = "measurements per figure; the median is printed (default 5, 1 with --partition)")
    Integer rounds;

    /** --rounds, or its default. */
    private int roundCount;

    @Option(names = "--partition", paramLabel = "SIZE",
            description = "bench a full window partition of SIZE sectors (32GiB: 2349 sectors, 64GiB: 2300) written"
                    + " sparsely: only what the proof of a fixed randomness reads is written; the other figures are"
                    + " not measured")
    String partition;

    @Option(names = "--sectors", description = "with --partition: sectors in the partition (default: a full partition)")
    Integer sectors;

    @Option(names = "--threads", description = "prover hashing threads (default: all cores)")
    Integer threads;

    @Option(names = "--no-8mib", description = "skip the 8MiB figures (quick run)")
    boolean no8MiB;

    @Option(names = "--batch", defaultValue = "16384", description = "arity-8 groups per hashGroups call (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--work-dir", description = "where the benchmark's sectors are written (default: a temporary"
            + " directory, removed after); with --partition the partition is kept there and reused by later runs")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        roundCount = rounds != null ? rounds : partition != null ? 1 : 5;
        if (roundCount < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1");
        }
        if (partition != null) {
            return benchPartition();
        }
        if (sectors != null) {
            throw new IllegalArgumentException("--sectors needs --partition");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("post-bench");
        try (HashBackend backend = hash.open()) {
            out.printf("backend: %s; machine: %d cores, %s %s; JDK %s%n", backend.description(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                    System.getProperty("java.version"));
            out.flush();
            if (batch < 1) {
                throw new IllegalArgumentException("--batch must be at least 1");
            }
            int groups = batch;
            byte[] in = new byte[groups * 8 * Node.SIZE];
            SplittableRandom r = new SplittableRandom(1);
            for (int g = 0; g < groups * 8; g++) {
                System.arraycopy(TestSectors.randomNode(r), 0, in, g * Node.SIZE, Node.SIZE);
            }
            byte[] o = new byte[groups * Node.SIZE];
            backend.hashGroups(8, in, 0, groups, o, 0);
            double hashSeconds = median(() -> backend.hashGroups(8, in, 0, groups, o, 0));
            out.printf("poseidon arity-8: %,.0f hashes/s (batches of %d)%n", groups / hashSeconds, groups);
            Poseidon poseidon = Poseidon.forArity(8);
            byte[][] one = new byte[8][];
            for (int i = 0; i < 8; i++) {
                one[i] = TestSectors.randomNode(r);
            }
            int singles = Math.max(1, groups / 16);
            double singleSeconds = median(() -> {
                for (int i = 0; i < singles; i++) {
                    poseidon.hash(one);
                }
            });
            out.printf("poseidon arity-8 one hash(...) call at a time: %,.0f hashes/s%n", singles / singleSeconds);
            out.flush();
            List<SectorSize> sizes = no8MiB ? List.of(SectorSize.KIB_2) : List.of(SectorSize.KIB_2, SectorSize.MIB_8);
            for (SectorSize size : sizes) {
                Path replica = dir.resolve("replica-" + size.label());
                TestSectors.writeReplica(replica, size.bytes(), new SplittableRandom(2));
                byte[] commC = TestSectors.randomNode(r);
                SectorTree tree = new SectorTree(backend);
                double build = median(() -> tree.build(size, replica, dir.resolve("cache-" + size.label()), commC));
                out.printf("tree_r_last %s: %.3f s%n", size, build);
                out.flush();
            }
            for (SectorSize size : sizes) {
                Path sectors = dir.resolve("sectors-" + size.label());
                Manifest m = new TestSectors(backend).pledge(sectors, size, 1000, size.windowPartitionSectors(), 0, 3,
                        false, n -> { });
                List<ProvingSector> ps = new ArrayList<>();
                for (Manifest.Entry e : m.sectors()) {
                    ps.add(new ProvingSector(e.id(), e.commR(), m.files(e)));
                }
                ProverSettings settings = threads != null ? ProverSettings.defaults().withThreads(threads) : ProverSettings.defaults();
                try (PartitionProver prover = new PartitionProver(backend, settings)) {
                    byte[] randomness = TestSectors.randomNode(r);
                    PartitionProof first = prover.proveWindow(size, ApiVersion.V1_2, 0, 1000, randomness, ps);
                    if (!first.skipped().isEmpty()) {
                        throw new IllegalStateException("benchmark sector skipped: " + first.skipped());
                    }
                    double prove = median(() -> prover.proveWindow(size, ApiVersion.V1_2, 0, 1000, randomness, ps));
                    out.printf("window partition %s (%d sectors x 10 challenges): %.2f partition proofs/s (%.1f ms each)%n",
                            size, ps.size(), 1 / prove, prove * 1000);
                    out.flush();
                }
            }
        } finally {
            if (workDir == null) {
                delete(dir);
            }
        }
        return 0;
    }

    private int benchPartition() throws Exception {
        SectorSize size;
        try {
            size = SectorSize.parse(partition);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--partition: " + e.getMessage());
        }
        if (size != SectorSize.GIB_32 && size != SectorSize.GIB_64) {
            throw new IllegalArgumentException("--partition takes 32GiB or 64GiB, got " + size);
        }
        int n = sectors != null ? sectors : size.windowPartitionSectors();
        if (n < 1 || n > size.windowPartitionSectors()) {
            throw new IllegalArgumentException("--sectors must be 1.." + size.windowPartitionSectors() + " for a " + size
                    + " partition, got " + n);
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("post-bench-partition");
        ProverSettings settings = threads != null ? ProverSettings.defaults().withThreads(threads) : ProverSettings.defaults();
        try (HashBackend backend = hash.open()) {
            new PartitionBench(spec.commandLine().getOut(), spec.commandLine().getErr(), roundCount, settings)
                    .run(backend, size, n, dir);
        } finally {
            if (workDir == null) {
                delete(dir);
            }
        }
        return 0;
    }

    interface Work {
        void run() throws Exception;
    }

    private double median(Work w) throws Exception {
        double[] t = new double[roundCount];
        for (int i = 0; i < roundCount; i++) {
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        return t[roundCount / 2];
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
