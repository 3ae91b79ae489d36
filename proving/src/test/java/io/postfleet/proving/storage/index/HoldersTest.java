package io.postfleet.proving.storage.index;

import io.postfleet.schemas.SectorRange;
import io.postfleet.schemas.StorageAnnouncement;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HoldersTest {

    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    static StorageAnnouncement announce(String node, Instant at, long intervalMillis, long miner, long... firstLast) {
        List<SectorRange> ranges = new ArrayList<>();
        for (int i = 0; i < firstLast.length; i += 2) {
            ranges.add(SectorRange.newBuilder().setMinerId(miner).setFirst(firstLast[i]).setLast(firstLast[i + 1])
                    .build());
        }
        return StorageAnnouncement.newBuilder().setNodeId(node).setBaseUrl("http://" + node)
                .setStoragePathIds(List.of()).setSectorRanges(ranges).setSectorCount(0).setFreeBytes(0)
                .setAnnounceIntervalMillis(intervalMillis).setUpdatedAt(at).setVersion("test").build();
    }

    static List<String> names(List<Holders.Holder> hs) {
        return hs.stream().map(Holders.Holder::nodeId).toList();
    }

    @Test
    void aSectorIsOfferedByTheNodesWhoseRangesHoldItForThatMinerOnly() {
        Holders h = new Holders("me");
        h.record(announce("a", T0, 30_000, 1000, 0, 9, 20, 29));
        h.record(announce("b", T0, 30_000, 1000, 5, 25));
        h.record(announce("c", T0, 30_000, 2000, 0, 100));
        h.record(announce("me", T0, 30_000, 1000, 0, 100));
        assertEquals(List.of("a"), names(h.of(1000, 3, T0)));
        assertEquals(2, h.of(1000, 7, T0).size());
        assertEquals(List.of("b"), names(h.of(1000, 12, T0)));
        assertEquals(List.of(), names(h.of(1000, 101, T0)), "this process itself is never offered");
        assertEquals(List.of("c"), names(h.of(2000, 50, T0)));
    }

    @Test
    void holdersOfAPartitionsSectorsTakeTurns() {
        Holders h = new Holders("");
        h.record(announce("a", T0, 30_000, 1000, 0, 9));
        h.record(announce("b", T0, 30_000, 1000, 0, 9));
        assertEquals(List.of("a", "b"), names(h.of(1000, 2, T0)));
        assertEquals(List.of("b", "a"), names(h.of(1000, 3, T0)));
    }

    @Test
    void aNodeThatStoppedAnnouncingIsDroppedAfterThreeIntervalsAndATombstoneDropsItAtOnce() {
        Holders h = new Holders("");
        h.record(announce("a", T0, 30_000, 1000, 0, 9));
        h.record(announce("b", T0, 1_000, 1000, 0, 9));
        assertEquals(2, h.of(1000, 1, T0.plusSeconds(9)).size(), "10 s at least, whatever the interval");
        assertEquals(List.of("a"), names(h.of(1000, 1, T0.plusSeconds(11))));
        assertEquals(List.of("a"), names(h.of(1000, 1, T0.plus(Duration.ofSeconds(90)))));
        assertEquals(List.of(), names(h.of(1000, 1, T0.plus(Duration.ofSeconds(91)))));
        h.record(announce("a", T0.plusSeconds(100), 30_000, 1000, 0, 9));
        h.forget("a");
        assertEquals(List.of(), names(h.of(1000, 1, T0.plusSeconds(100))));
    }
}
