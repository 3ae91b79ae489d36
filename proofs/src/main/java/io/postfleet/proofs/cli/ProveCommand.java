package io.postfleet.proofs.cli;

import io.postfleet.cli.DurationConverter;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.SkippedSector;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.StoragePaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code prove window|winning}: proves a partition of the manifest's sectors, or the winning sector, and writes the
 * proof bundle (per-sector vanilla proofs and skipped sectors with their reasons).
 */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = "Prove a window partition or a winning PoSt over the sectors of a manifest; faulty sectors are"
                + " skipped with their reason in the same pass.")
final class ProveCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--manifest", paramLabel = "FILE", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "manifest.json written by pledge (or its directory)")
    Path manifest;

    @Option(names = "--randomness", paramLabel = "HEX", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "64 hex digits, canonical")
    String randomness;

    @Option(names = "--out", required = true, scope = picocli.CommandLine.ScopeType.INHERIT, description = "proof bundle file")
    Path out;

    @Option(names = "--storage-path", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "look the sectors up in these Lotus storage paths instead of the manifest's paths (repeatable)")
    List<Path> storagePaths = new ArrayList<>();

    @Option(names = "--threads", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "hashing threads (default: all cores)")
    Integer threads;

    @Option(names = "--parallel-reads", defaultValue = "32", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "sectors read at once (Lotus ParallelCheckLimit; default ${DEFAULT-VALUE})")
    int parallelReads;

    @Option(names = "--sector-timeout", defaultValue = "10m", converter = DurationConverter.class,
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "skip a sector whose reads take longer (Lotus SingleCheckTimeout; default ${DEFAULT-VALUE})")
    Duration sectorTimeout;

    @Option(names = "--partition-timeout", defaultValue = "20m", converter = DurationConverter.class,
            scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "skip the sectors not read by then (Lotus PartitionCheckTimeout; default ${DEFAULT-VALUE})")
    Duration partitionTimeout;

    @Command(name = "window", mixinStandardHelpOptions = true, description = "Prove window partition K of the manifest.")
    int window(@Mixin HashOption hash,
               @Option(names = "--partition", paramLabel = "K", defaultValue = "0", description = "partition index (default ${DEFAULT-VALUE})") int partition,
               @Option(names = "--api", paramLabel = "V", defaultValue = "v1_2", description = "v1_0, v1_1 or v1_2 (default ${DEFAULT-VALUE})") String api)
            throws Exception {
        Manifest m = Manifest.read(manifest);
        byte[] r = Args.node(randomness, "--randomness");
        List<Manifest.Entry> chunk = partition(m, partition);
        try (HashBackend backend = hash.open(); PartitionProver prover = prover(backend)) {
            long t0 = System.nanoTime();
            PartitionProof proof = prover.proveWindow(m.sectorSize(), Args.api(api), partition, m.minerId(), r,
                    proving(m, chunk));
            return write(proof, t0);
        }
    }

    @Command(name = "winning", mixinStandardHelpOptions = true,
            description = "Prove the winning sector the randomness selects among the manifest's sectors.")
    int winning(@Mixin HashOption hash,
                @Option(names = "--prover-id", paramLabel = "HEX", required = true, description = "64 hex digits") String proverId) throws Exception {
        Manifest m = Manifest.read(manifest);
        byte[] r = Args.node(randomness, "--randomness");
        byte[] p = Args.node(proverId, "--prover-id");
        if (m.sectors().isEmpty()) {
            throw new IllegalArgumentException("manifest " + manifest + " lists no sectors");
        }
        int index = ChallengeDeriver.winningSectorIndex(r, p, m.sectors().size());
        Manifest.Entry e = m.sectors().get(index);
        spec.commandLine().getOut().println("sector-index " + index);
        spec.commandLine().getOut().println("sector-id " + e.id());
        try (HashBackend backend = hash.open(); PartitionProver prover = prover(backend)) {
            long t0 = System.nanoTime();
            PartitionProof proof = prover.proveWinning(m.sectorSize(), m.minerId(), r, p, proving(m, List.of(e)).get(0));
            return write(proof, t0);
        }
    }

    /** Chunk K of the manifest's sectors in ascending id, as upstream partitions them. */
    static List<Manifest.Entry> partition(Manifest m, int partition) {
        int per = m.sectorSize().windowPartitionSectors();
        int partitions = Math.max(1, (m.sectors().size() + per - 1) / per);
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("--partition " + partition + " does not exist: the manifest's "
                    + m.sectors().size() + " sectors make " + partitions + " partition(s) of " + per);
        }
        return m.sectors().subList(partition * per, Math.min(m.sectors().size(), (partition + 1) * per));
    }

    private List<ProvingSector> proving(Manifest m, List<Manifest.Entry> entries) {
        StoragePaths paths = storagePaths.isEmpty() ? null : new StoragePaths(storagePaths);
        List<ProvingSector> out = new ArrayList<>();
        for (Manifest.Entry e : entries) {
            out.add(new ProvingSector(e.id(), e.commR(),
                    paths == null ? m.files(e) : paths.locate(m.minerId(), e.id()).orElse(null)));
        }
        return out;
    }

    private PartitionProver prover(HashBackend backend) {
        ProverSettings s = new ProverSettings(parallelReads, sectorTimeout, partitionTimeout);
        return new PartitionProver(backend, threads != null ? s.withThreads(threads) : s);
    }

    private int write(PartitionProof proof, long t0) throws Exception {
        byte[] bytes = ProofBundle.encode(proof);
        Files.write(out, bytes);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("proven %d sector(s), skipped %d, %d bytes in %s, %.3f s%n", proof.proven().size(), proof.skipped().size(),
                bytes.length, out, (System.nanoTime() - t0) / 1e9);
        for (SkippedSector s : proof.skipped()) {
            o.println("skipped " + s.sectorId() + ": " + s.reason());
        }
        o.flush();
        return 0;
    }

    static String hex(byte[] b) {
        return Node.hex(b);
    }
}
