package io.postfleet.miner.chain;

import java.util.Arrays;

/**
 * A sector as the chain records it: its number and sealed commitment comm_r (32-byte little-endian Fr). The miner
 * verifies every proof against these records, never against what a worker reports.
 */
public record ChainSector(long sectorId, byte[] commR, boolean updated) {
    public ChainSector {
        if (commR.length != 32) {
            throw new IllegalArgumentException("comm_r of sector " + sectorId + " has " + commR.length + " bytes, not 32");
        }
        commR = commR.clone();
    }

    @Override
    public byte[] commR() {
        return commR.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainSector s && s.sectorId == sectorId && s.updated == updated && Arrays.equals(s.commR, commR);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sectorId) * 31 + Arrays.hashCode(commR);
    }

    @Override
    public String toString() {
        return "sector " + sectorId;
    }
}
