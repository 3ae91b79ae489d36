package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.TimedHashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.SparsePartition;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * {@code bench --partition SIZE}: a full-size window partition, built sparsely ({@link SparsePartition}) or reused
 * from the work folder, proven by the real prover and checked by the real verifier. Read time is from the start of
 * a proof to its first hash (the prover reads every sector before it hashes); hash time is the time the backend was
 * busy; both come from a {@link TimedHashBackend} around the selected backend.
 */
final class PartitionBench {


    private final PrintWriter out;
    private final PrintWriter err;
    private final int rounds;
    private final ProverSettings settings;

    PartitionBench(PrintWriter out, PrintWriter err, int rounds, ProverSettings settings) {
        this.out = out;
        this.err = err;
        this.rounds = rounds;
        this.settings = settings;
    }

    /** Builds or reuses the partition in {@code dir}, then proves and verifies it {@code rounds} times. */
    void run(HashBackend selected, SectorSize size, int sectors, Path dir) throws IOException {
        TimedHashBackend backend = new TimedHashBackend(selected);
        SparsePartition.Spec spec = SparsePartition.Spec.bench(size, sectors);
        out.printf("backend: %s%n", backend.description());
        out.printf("cpu: %s, %d cores%n", cpuModel(), Runtime.getRuntime().availableProcessors());
        out.printf("partition: %s, %d sectors x 10 challenges; miner %d, randomness %s, seed %d, api %s%n", size,
                sectors, spec.minerId(), Node.hex(spec.randomness()), spec.seed(), spec.api().name().toLowerCase(Locale.ROOT));
        out.flush();
        long t0 = System.nanoTime();
        SparsePartition.Built built = new SparsePartition(backend).build(dir, spec, done -> {
            err.printf("partition: %d/%d sectors written%n", done, sectors);
            err.flush();
        });
        if (built.reused()) {
            out.printf("build: reused (%s)%n", dir.toAbsolutePath());
        } else {
            out.printf("build: %.1f s, %,d hashes, %,d bytes written into sparse files of %,d bytes of replica%n",
                    seconds(System.nanoTime() - t0), backend.usage().hashes(), built.bytesWritten(), spec.replicaBytes());
        }
        out.flush();

        List<ProvingSector> proving = built.provingSectors();
        SortedMap<Long, byte[]> records = built.records();
        PostVerifier verifier = new PostVerifier(backend);
        double[] read = new double[rounds];
        double[] hash = new double[rounds];
        double[] prove = new double[rounds];
        double[] verify = new double[rounds];
        long hashes = 0;
        long segments = 0;
        int proofBytes = 0;
        int proofCount = 0;
        try (PartitionProver prover = new PartitionProver(backend, settings)) {
            for (int r = 0; r < rounds; r++) {
                backend.reset();
                long p0 = System.nanoTime();
                PartitionProof proof = prover.proveWindow(size, spec.api(), 0, spec.minerId(), spec.randomness(), proving);
                prove[r] = seconds(System.nanoTime() - p0);
                TimedHashBackend.Usage used = backend.usage();
                read[r] = seconds(Math.max(0, used.untilFirstCallNanos()));
                hash[r] = seconds(used.busyNanos());
                hashes = used.hashes();
                segments = used.subtrees();
                if (!proof.skipped().isEmpty()) {
                    throw new IllegalStateException(proof.skipped().size() + " sector(s) of the partition in " + dir
                            + " were skipped, first: " + proof.skipped().get(0) + "; remove the folder to rebuild it");
                }
                proofBytes = ProofBundle.encode(proof).length;
                proofCount = proof.sectors().size();
                long v0 = System.nanoTime();
                Verdict verdict = verifier.verifyWindow(size, spec.api(), 0, spec.randomness(), records, proof);
                verify[r] = seconds(System.nanoTime() - v0);
                if (verdict instanceof Verdict.Invalid bad) {
                    throw new IllegalStateException("the verifier refused the partition proof: " + bad.reason());
                }
            }
        }
        String of = rounds == 1 ? "" : " (median of " + rounds + ")";
        double h = median(hash);
        out.printf("read: %.2f s%s%n", median(read), of);
        out.printf("hash: %.2f s, %,d hashes (%,.0f hashes/s)%s%n", h, hashes, hashes / h, of);
        out.printf("prove: %.2f s%s%n", median(prove), of);
        out.printf("verify: %.2f s, accepted%s%n", median(verify), of);
        out.printf("proof: %,d bytes (proof bundle of %d vanilla proofs)%n", proofBytes, proofCount);
        out.printf("challenges: %d%n", spec.challenges());
        out.printf("distinct segments hashed: %d (of %d distinct challenged segments; %d challenges share a segment"
                + " with another of their sector)%n", segments, built.distinctSegments(),
                spec.challenges() - built.distinctSegments());
        out.flush();
    }

    /** The "model name" of /proc/cpuinfo, else the architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
