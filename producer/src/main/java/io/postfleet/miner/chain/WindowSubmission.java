package io.postfleet.miner.chain;

import java.util.List;
import java.util.Map;

/**
 * What the miner puts on chain for one deadline: the proven partitions with their vanilla proof digests (the SNARK
 * goes here later) and the sectors declared faulty because a prover skipped them.
 */
public record WindowSubmission(int deadline, long challengeEpoch, long epoch, List<Integer> partitions,
                               Map<Integer, String> proofSha256ByPartition, List<Long> faultySectors) {
    public WindowSubmission {
        partitions = List.copyOf(partitions);
        proofSha256ByPartition = Map.copyOf(proofSha256ByPartition);
        faultySectors = List.copyOf(faultySectors);
    }
}
