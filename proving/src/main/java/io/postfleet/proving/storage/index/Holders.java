package io.postfleet.proving.storage.index;

import io.postfleet.proving.storage.serve.SectorRange;
import io.postfleet.schemas.StorageAnnouncement;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last announcement of every storage node, and which of them hold a sector. A node whose announcements stopped
 * is not offered after {@value #MISSED_INTERVALS} of its announce intervals (at least {@link #MIN_STALE}), and is
 * forgotten on a tombstone. Thread-safe: the index's reader thread records, provers ask.
 */
public final class Holders {

    /** Announce intervals a node may miss before its sectors are no longer offered. */
    public static final int MISSED_INTERVALS = 3;
    /** The least time an announcement stays offered, whatever interval it states. */
    public static final Duration MIN_STALE = Duration.ofSeconds(10);

    /** A node that holds a sector: where to ask for its vanilla proofs. */
    public record Holder(String nodeId, String baseUrl) {
    }

    /** An announcement and its ranges, ordered by miner and first sector for a binary search. */
    private record Entry(StorageAnnouncement announcement, List<SectorRange> sectors) {

        boolean holds(long minerId, long sector) {
            int lo = 0;
            int hi = sectors.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                SectorRange r = sectors.get(mid);
                int c = r.minerId() != minerId ? Long.compare(minerId, r.minerId())
                        : sector < r.first() ? -1 : sector > r.last() ? 1 : 0;
                if (c == 0) {
                    return true;
                }
                if (c < 0) {
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            return false;
        }
    }

    private final String self;
    private final Map<String, Entry> nodes = new ConcurrentHashMap<>();

    /** @param self this process's own node id, never offered as a holder (empty string when it serves nothing) */
    public Holders(String self) {
        this.self = self;
    }

    /** Records a node's announcement (replacing its last one). */
    public void record(StorageAnnouncement a) {
        List<SectorRange> ranges = new ArrayList<>();
        try {
            for (io.postfleet.schemas.SectorRange r : a.getSectorRanges()) {
                ranges.add(new SectorRange(r.getMinerId(), r.getFirst(), r.getLast()));
            }
        } catch (IllegalArgumentException e) {
            // an announcement this index cannot read offers nothing rather than something wrong
            ranges.clear();
        }
        ranges.sort(Comparator.comparingLong(SectorRange::minerId).thenComparingLong(SectorRange::first));
        nodes.put(a.getNodeId(), new Entry(a, List.copyOf(ranges)));
    }

    /** Forgets a node (its tombstone). */
    public void forget(String nodeId) {
        nodes.remove(nodeId);
    }

    /**
     * The fresh holders of {@code minerId}'s sector {@code sector}, this process excluded; the order rotates with the
     * sector number, so the sectors of a partition spread over the nodes that all hold them.
     */
    public List<Holder> of(long minerId, long sector, Instant now) {
        List<Holder> out = new ArrayList<>();
        for (Entry e : nodes.values()) {
            StorageAnnouncement a = e.announcement();
            if (!a.getNodeId().equals(self) && fresh(a, now) && e.holds(minerId, sector)) {
                out.add(new Holder(a.getNodeId(), a.getBaseUrl()));
            }
        }
        out.sort(Comparator.comparing(Holder::nodeId));
        if (out.size() > 1) {
            Collections.rotate(out, (int) -Math.floorMod(sector, (long) out.size()));
        }
        return out;
    }

    /** Every node whose announcement is fresh, by node id. */
    public List<StorageAnnouncement> fresh(Instant now) {
        return nodes.values().stream().map(Entry::announcement).filter(a -> fresh(a, now))
                .sorted(Comparator.comparing(StorageAnnouncement::getNodeId)).toList();
    }

    private static boolean fresh(StorageAnnouncement a, Instant now) {
        Duration stale = Duration.ofMillis(Math.max(MIN_STALE.toMillis(),
                MISSED_INTERVALS * Math.max(0, a.getAnnounceIntervalMillis())));
        return !a.getUpdatedAt().plus(stale).isBefore(now);
    }
}
