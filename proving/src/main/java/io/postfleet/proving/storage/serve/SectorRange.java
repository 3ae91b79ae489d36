package io.postfleet.proving.storage.serve;

/**
 * Sectors {@code first..last} (inclusive) of one miner, all held by a node: how holders announce what they hold.
 *
 * @param minerId the miner actor id
 * @param first   the lowest sector number of the run
 * @param last    the highest, at least {@code first}
 */
public record SectorRange(long minerId, long first, long last) {

    public SectorRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("sector range " + first + ".." + last + " is empty or negative");
        }
    }

    /** How many sectors the range holds. */
    public long count() {
        return last - first + 1;
    }

    public boolean contains(long minerId, long sectorNumber) {
        return this.minerId == minerId && sectorNumber >= first && sectorNumber <= last;
    }
}
