package io.postfleet.bench;

import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The same winning proofs proven and verified in this JVM with no messaging at all, so the fleet's overhead can be
 * split into what verification costs (part of "publish to verified result") and what the transport adds.
 */
final class InProcessReference {

    private InProcessReference() {
    }

    /** Proves and verifies {@code warmup + n} winning proofs of the tickets at {@code firstEpoch...}; times the last n. */
    static List<Sample> winning(DevnetChain chain, Manifest manifest, Path storage, long firstEpoch, int warmup, int n) {
        Sample prove = new Sample("in-process winning proving (reference)");
        Sample verify = new Sample("in-process winning verification (reference)");
        CpuHashBackend backend = new CpuHashBackend();
        PartitionProver prover = new PartitionProver(backend, ProverSettings.defaults());
        PostVerifier verifier = new PostVerifier(backend);
        StoragePaths paths = new StoragePaths(List.of(storage));
        byte[] proverId = ChallengeDeriver.proverId(BenchFleet.MINER);
        List<Manifest.Entry> sectors = manifest.sectors().stream().sorted(Comparator.comparingLong(Manifest.Entry::id))
                .toList();
        SortedMap<Long, byte[]> eligible = new TreeMap<>();
        sectors.forEach(e -> eligible.put(e.id(), e.commR()));
        for (int i = 0; i < warmup + n; i++) {
            byte[] randomness = chain.ticket(firstEpoch + i).randomness();
            Manifest.Entry sector = sectors.get(ChallengeDeriver.winningSectorIndex(randomness, proverId, sectors.size()));
            long t0 = System.nanoTime();
            PartitionProof proof = prover.proveWinning(SectorSize.KIB_2, BenchFleet.MINER, randomness, proverId,
                    new ProvingSector(sector.id(), sector.commR(),
                            paths.locate(BenchFleet.MINER, sector.id()).orElse(null)));
            long t1 = System.nanoTime();
            Verdict verdict = verifier.verifyWinning(SectorSize.KIB_2, randomness, proverId, eligible, proof);
            long t2 = System.nanoTime();
            if (!(verdict instanceof Verdict.Valid)) {
                throw new IllegalStateException("in-process winning proof of sector " + sector.id()
                        + " does not verify: " + verdict);
            }
            if (i >= warmup) {
                prove.add((t1 - t0) / 1e6);
                verify.add((t2 - t1) / 1e6);
            }
        }
        return List.of(prove, verify);
    }
}
