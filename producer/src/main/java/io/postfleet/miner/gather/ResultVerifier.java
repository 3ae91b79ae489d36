package io.postfleet.miner.gather;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.SkippedSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Checks a proof against the miner's own records only: the sector ids and comm_r the chain holds for the task's
 * partition (or, for winning, the eligible set the task was published with), the randomness the miner drew, and the
 * challenges the verifier derives itself. Nothing the worker wrote about the task is trusted.
 */
public final class ResultVerifier {

    private final PostVerifier verifier;
    private final SectorSize size;
    private final ApiVersion api;
    private final byte[] proverId;

    public ResultVerifier(PostVerifier verifier, SectorSize size, ApiVersion api, byte[] proverId) {
        this.verifier = verifier;
        this.size = size;
        this.api = api;
        this.proverId = proverId.clone();
    }

    /**
     * @param proof      the proof as decoded
     * @param skippedIds the sectors the result header says were skipped
     */
    public Verdict verify(TaskRecord task, PartitionProof proof, List<Long> skippedIds) {
        List<Long> bundled = proof.skipped().stream().map(SkippedSector::sectorId).sorted().toList();
        if (!bundled.equals(skippedIds.stream().sorted().toList())) {
            return new Verdict.Invalid("the result lists skipped sectors " + skippedIds
                    + " but its proof bundle skips " + bundled);
        }
        return task.kind() == PostKind.WINDOW
                ? verifier.verifyWindow(size, api, task.partition(), task.randomness(), records(task.sectors()), proof)
                : verifier.verifyWinning(size, task.randomness(), proverId, records(task.eligible()), proof);
    }

    private static SortedMap<Long, byte[]> records(List<ChainSector> sectors) {
        SortedMap<Long, byte[]> m = new TreeMap<>();
        for (ChainSector s : sectors) {
            m.put(s.sectorId(), s.commR());
        }
        return m;
    }
}
