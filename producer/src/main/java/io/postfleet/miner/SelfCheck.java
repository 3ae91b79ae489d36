package io.postfleet.miner;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.chain.DevnetChain;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.proofs.sector.StoragePaths;

/**
 * Proves and verifies one winning proof locally before any deadline: it shows the miner's storage and hash backend
 * work, and warms the prover so the first real winning proof is not slowed by a cold start.
 */
final class SelfCheck {

    private final PartitionProver prover;
    private final PostVerifier verifier;
    private final StoragePaths storage;
    private final SectorSize size;
    private final DevnetChain chain;
    private final byte[] proverId;
    private final List<ChainSector> sectors;

    SelfCheck(PartitionProver prover, PostVerifier verifier, StoragePaths storage, SectorSize size, DevnetChain chain,
              byte[] proverId, List<ChainSector> sectors) {
        this.prover = prover;
        this.verifier = verifier;
        this.storage = storage;
        this.size = size;
        this.chain = chain;
        this.proverId = proverId.clone();
        this.sectors = List.copyOf(sectors);
    }

    /**
     * @return a line saying what was checked, or why local proving will not work
     * @throws IllegalStateException when the local proof does not verify: the sector files disagree with the manifest
     */
    String run() {
        long t0 = System.nanoTime();
        byte[] randomness = chain.ticket(0).randomness();
        int index = ChallengeDeriver.winningSectorIndex(randomness, proverId, sectors.size());
        ChainSector sector = sectors.get(index);
        PartitionProof proof = prover.proveWinning(size, chain.minerId(), randomness, proverId,
                new ProvingSector(sector.sectorId(), sector.commR(),
                        storage.locate(chain.minerId(), sector.sectorId()).orElse(null)));
        if (!proof.skipped().isEmpty()) {
            return "self-check: sector " + sector.sectorId() + " cannot be proven locally ("
                    + proof.skipped().get(0).reason() + "); the miner can only prove sectors its --storage paths hold";
        }
        SortedMap<Long, byte[]> eligible = new TreeMap<>();
        sectors.forEach(s -> eligible.put(s.sectorId(), s.commR()));
        if (verifier.verifyWinning(size, randomness, proverId, eligible, proof) instanceof Verdict.Invalid invalid) {
            throw new IllegalStateException("self-check: the local winning proof of sector " + sector.sectorId()
                    + " does not verify (" + invalid.reason() + "): the sector files disagree with the manifest");
        }
        return String.format("self-check: winning proof of sector %d proven and verified locally in %d ms (%s)",
                sector.sectorId(), (System.nanoTime() - t0) / 1_000_000, prover.backend().description());
    }
}
