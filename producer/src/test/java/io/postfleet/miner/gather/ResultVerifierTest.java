package io.postfleet.miner.gather;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.miner.dispatch.TaskFactory;
import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.post.ApiVersion;
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
import org.junit.jupiter.api.Test;

class ResultVerifierTest {

    private static final long MINER = 1000;

    @Test
    void aWinningProofIsVerifiedAgainstTheEligibleSetTheTaskWasPublishedWith() throws Exception {
        try (CpuHashBackend backend = new CpuHashBackend()) {
            Path dir = Files.createTempDirectory("verifier-");
            Manifest m = new io.postfleet.proofs.sector.TestSectors(backend).pledge(dir, SectorSize.KIB_2, MINER, 6,
                    0, 11, false, n -> { });
            List<ChainSector> all = m.sectors().stream().map(e -> new ChainSector(e.id(), e.commR(), false)).toList();
            // a chain whose ticket names only some sectors as eligible (e.g. recently added ones are not yet)
            List<ChainSector> eligible = all.subList(0, 3);
            byte[] proverId = ChallengeDeriver.proverId(MINER);
            // randomness for which drawing from all six sectors would challenge another sector than from the three
            byte[] randomness = new byte[32];
            while (ChallengeDeriver.winningSectorIndex(randomness, proverId, eligible.size())
                    == ChallengeDeriver.winningSectorIndex(randomness, proverId, all.size())) {
                randomness[0]++;
            }
            int index = ChallengeDeriver.winningSectorIndex(randomness, proverId, eligible.size());
            ChainSector sector = eligible.get(index);
            PartitionProof proof = new PartitionProver(backend, ProverSettings.defaults()).proveWinning(
                    SectorSize.KIB_2, MINER, randomness, proverId, new ProvingSector(sector.sectorId(), sector.commR(),
                            new StoragePaths(List.of(dir)).locate(MINER, sector.sectorId()).orElseThrow()));
            TaskFactory factory = new TaskFactory(MINER, SectorSize.KIB_2.label(), -1, -1,
                    ApiVersion.WINDOW_DEFAULT.label());
            ResultVerifier verifier = new ResultVerifier(new PostVerifier(backend), SectorSize.KIB_2,
                    ApiVersion.WINDOW_DEFAULT, proverId);

            TaskRecord published = new TaskRecord(factory.winning(9, randomness, eligible.size(), index, sector,
                    Instant.now().plusSeconds(60), false), -1, -1, List.of(sector), eligible);
            assertInstanceOf(Verdict.Valid.class, verifier.verify(published, proof, List.of()));

            // what verifying against the miner's whole sector list did: the challenged index differs, the valid
            // proof is refused
            TaskRecord againstAll = new TaskRecord(factory.winning(9, randomness, eligible.size(), index, sector,
                    Instant.now().plusSeconds(60), false), -1, -1, List.of(sector), all);
            assertInstanceOf(Verdict.Invalid.class, verifier.verify(againstAll, proof, List.of()));
        }
    }
}
