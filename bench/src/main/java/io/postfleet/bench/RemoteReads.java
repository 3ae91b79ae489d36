package io.postfleet.bench;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.HashBackends;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.SparsePartition;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.storage.auth.ApiPermission;
import io.postfleet.proving.storage.auth.ApiToken;
import io.postfleet.proving.storage.auth.SecretSource;
import io.postfleet.proving.storage.auth.TokenSecret;
import io.postfleet.proving.storage.lotus.ApiInfo;
import io.postfleet.proving.storage.remote.RemoteVanillaReads;
import io.postfleet.proving.storage.serve.ServeSettings;
import io.postfleet.proving.storage.serve.StorageEndpoint;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Remote vanilla reads on loopback: a full-size 32GiB partition (the sparse one {@code post-tool bench --partition}
 * builds, distinct data in every challenged segment) proven once with every sector local and once with every sector
 * read from a storage endpoint on 127.0.0.1 (Lotus's /remote protocol, every answer verified), both proofs verified,
 * after one local round that is not counted (it warms the JIT and the page cache for both).
 * Prints the per-sector read latency (p50, p99) and the remote to local ratio (target: at most 1.3).
 */
final class RemoteReads {

    static final double RATIO_TARGET = 1.3;

    private final Path partitionDir;
    private final int sectors;
    private final Path root;

    RemoteReads(Path partitionDir, int sectors, Path root) {
        this.partitionDir = partitionDir;
        this.sectors = sectors;
        this.root = root;
    }

    /** What one run measured. */
    record Result(String settings, double localMs, double remoteMs, double p50Ms, double p99Ms, long reads) {
        double ratio() {
            return remoteMs / localMs;
        }
    }

    Result run() throws Exception {
        SectorSize size = SectorSize.GIB_32;
        SparsePartition.Spec spec = SparsePartition.Spec.bench(size, sectors);
        try (HashBackend backend = HashBackends.open("auto")) {
            long t0 = System.nanoTime();
            SparsePartition.Built built = new SparsePartition(backend).build(partitionDir, spec, n -> { });
            String buildNote = built.reused() ? "reused" : String.format("built in %.1f s",
                    (System.nanoTime() - t0) / 1e9);
            PostVerifier verifier = new PostVerifier(backend);

            double localMs;
            try (PartitionProver local = new PartitionProver(backend, ProverSettings.defaults())) {
                // one round first, not counted: the JIT and the page cache start cold for whichever runs first
                local.proveWindow(size, spec.api(), 0, spec.minerId(), spec.randomness(), built.provingSectors());
                long s = System.nanoTime();
                PartitionProof p = local.proveWindow(size, spec.api(), 0, spec.minerId(), spec.randomness(),
                        built.provingSectors());
                localMs = (System.nanoTime() - s) / 1e6;
                require(verifier.verifyWindow(size, spec.api(), 0, spec.randomness(), built.records(), p), "local");
            }

            Path secretFile = root.resolve("remote-bench-secret");
            String token = ApiToken.upTo(ApiPermission.ADMIN).sign(TokenSecret.loadOrCreate(secretFile, n -> { }));
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            double remoteMs;
            try (StorageEndpoint endpoint = StorageEndpoint.serve(new ServeSettings(
                    new InetSocketAddress("127.0.0.1", 0), 32, Duration.ofMinutes(5), SecretSource.file(secretFile),
                    "bench-node"), new StoragePaths(List.of(partitionDir)), backend, new SimpleMeterRegistry(),
                    Map.of(), n -> { });
                 RemoteVanillaReads reads = new RemoteVanillaReads(null, List.of(new RemoteVanillaReads.Source(
                         "bench-node", ApiInfo.parse(token + ":" + endpoint.baseUrl()))), "", verifier, 32,
                         Duration.ofMinutes(1), Clock.systemUTC(), meters);
                 PartitionProver remote = new PartitionProver(backend, ProverSettings.defaults()).withRemote(reads)) {
                List<ProvingSector> unseen = built.provingSectors().stream()
                        .map(s -> new ProvingSector(s.sectorId(), s.commR(), null)).toList();
                long s = System.nanoTime();
                PartitionProof p = remote.proveWindow(size, spec.api(), 0, spec.minerId(), spec.randomness(), unseen);
                remoteMs = (System.nanoTime() - s) / 1e6;
                if (!p.skipped().isEmpty() || p.readFrom().size() != sectors) {
                    throw new IllegalStateException(p.skipped().size() + " sectors skipped in the remote run: "
                            + p.skipped().stream().limit(3).toList());
                }
                require(verifier.verifyWindow(size, spec.api(), 0, spec.randomness(), built.records(), p), "remote");
            }
            Timer t = meters.get("post.storage.remote.read.duration").timer();
            double p50 = 0;
            double p99 = 0;
            for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
                if (v.percentile() == 0.5) {
                    p50 = v.value(TimeUnit.MILLISECONDS);
                } else if (v.percentile() == 0.99) {
                    p99 = v.value(TimeUnit.MILLISECONDS);
                }
            }
            String settings = String.format("32GiB partition of %d sectors (%s, %s), hash backend %s; endpoint on "
                    + "127.0.0.1 with 32 read slots, 32 sectors asked at once", sectors, partitionDir, buildNote,
                    backend.description());
            return new Result(settings, localMs, remoteMs, p50, p99, t.count());
        }
    }

    private static void require(Verdict v, String which) {
        if (v instanceof Verdict.Invalid bad) {
            throw new IllegalStateException("the " + which + " proof does not verify: " + bad.reason());
        }
    }

    static Path defaultDir() throws java.io.IOException {
        return Files.createTempDirectory("postfleet-remote-bench-");
    }
}
