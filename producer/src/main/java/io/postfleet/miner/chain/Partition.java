package io.postfleet.miner.chain;

import java.util.List;

/** One partition of a deadline: the sectors proven together, ascending by sector number. */
public record Partition(int deadline, int index, List<ChainSector> sectors) {
    public Partition {
        sectors = List.copyOf(sectors);
    }
}
