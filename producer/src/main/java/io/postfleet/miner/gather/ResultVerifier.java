package io.postfleet.miner.gather;

import io.postfleet.miner.chain.ChainSector;
import io.postfleet.miner.deadline.TaskRecord;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.SkippedSector;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Checks an answer against the miner's own records only: the sector ids and comm_r the chain holds for the task's
 * partition (or every eligible sector, for winning), the randomness the miner drew, and the challenges the verifier
 * derives itself. Nothing the worker wrote about the task is trusted.
 */
public final class ResultVerifier {

    private final PostVerifier verifier;
    private final SectorSize size;
    private final ApiVersion api;
    private final byte[] proverId;
    private final SortedMap<Long, byte[]> eligible;

    /**
     * @param eligible the sectors a winning election draws from (the miner's records, any order)
     */
    public ResultVerifier(PostVerifier verifier, SectorSize size, ApiVersion api, byte[] proverId,
                          List<ChainSector> eligible) {
        this.verifier = verifier;
        this.size = size;
        this.api = api;
        this.proverId = proverId.clone();
        this.eligible = records(eligible);
    }

    /**
     * @param bundle     the reassembled proof bundle
     * @param skippedIds the sectors the result header says were skipped
     * @return the problem, or empty when the proof is valid
     */
    public Optional<String> verify(TaskRecord task, byte[] bundle, List<Long> skippedIds) {
        PartitionProof proof;
        try {
            proof = ProofBundle.decode(bundle);
        } catch (RuntimeException e) {
            return Optional.of("the proof bundle cannot be decoded: " + e.getMessage());
        }
        List<Long> bundled = proof.skipped().stream().map(SkippedSector::sectorId).sorted().toList();
        if (!bundled.equals(skippedIds.stream().sorted().toList())) {
            return Optional.of("the result lists skipped sectors " + skippedIds + " but its proof bundle skips "
                    + bundled);
        }
        Verdict verdict = task.kind() == PostKind.WINDOW
                ? verifier.verifyWindow(size, api, task.partition(), task.randomness(), records(task.sectors()), proof)
                : verifier.verifyWinning(size, task.randomness(), proverId, eligible, proof);
        return verdict instanceof Verdict.Invalid invalid ? Optional.of("invalid proof: " + invalid.reason())
                : Optional.empty();
    }

    private static SortedMap<Long, byte[]> records(List<ChainSector> sectors) {
        SortedMap<Long, byte[]> m = new TreeMap<>();
        for (ChainSector s : sectors) {
            m.put(s.sectorId(), s.commR());
        }
        return m;
    }
}
