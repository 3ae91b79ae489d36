package io.postfleet.proofs.post;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a prover returns for one window partition or one winning proof: the per-sector vanilla proofs of the proven
 * sectors in ascending sector id, then, for a window partition, copies of the last one up to the partition's sector
 * count (upstream's padding), and the sectors it skipped with their reasons. {@code readFrom} names, for each sector
 * whose challenges another node read (no local path held it), the holder that served it.
 */
public record PartitionProof(List<FallbackPoStSectorProof> sectors, List<SkippedSector> skipped,
                             Map<Long, String> readFrom) {

    public PartitionProof {
        sectors = List.copyOf(sectors);
        skipped = List.copyOf(skipped);
        readFrom = Map.copyOf(readFrom);
    }

    /** A proof made from local files only. */
    public PartitionProof(List<FallbackPoStSectorProof> sectors, List<SkippedSector> skipped) {
        this(sectors, skipped, Map.of());
    }

    /** The proofs without padding: distinct sector ids in order. */
    public List<FallbackPoStSectorProof> proven() {
        List<FallbackPoStSectorProof> out = new ArrayList<>();
        for (FallbackPoStSectorProof p : sectors) {
            if (out.isEmpty() || out.get(out.size() - 1).sectorId() != p.sectorId()) {
                out.add(p);
            }
        }
        return out;
    }
}
