package io.postfleet.proving.storage.serve;

import java.util.List;

/**
 * What a node holds, as the storage announcement will carry it: its sectors as ranges of numbers per miner, and its
 * storage paths with their room. Implementations look at the storage when asked; callers ask as often as they
 * announce.
 */
public interface SectorInventory {

    /** The sectors held, in ascending miner and sector number, contiguous numbers merged into one range. */
    List<SectorRange> held();

    /** Each storage path with its sector count and free space. */
    List<StoragePathStat> paths();

    /**
     * One storage path.
     *
     * @param path      the root (holding sealed/, cache/, ...)
     * @param sectors   replicas under it (sealed/ and update/)
     * @param available bytes free for this process
     * @param capacity  bytes of the file system
     */
    record StoragePathStat(String path, long sectors, long available, long capacity) {
    }
}
