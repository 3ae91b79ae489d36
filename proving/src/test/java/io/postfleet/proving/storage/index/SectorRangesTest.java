package io.postfleet.proving.storage.index;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SectorRangesTest {

    @Test
    void consecutiveSectorsCollapseIntoRanges() {
        SectorRanges r = SectorRanges.of(List.of(9L, 1L, 2L, 3L, 7L, 8L, 20L, 2L));
        assertEquals(List.of(new SectorRanges.Range(1, 3), new SectorRanges.Range(7, 9), new SectorRanges.Range(20, 20)),
                r.ranges());
        assertEquals(7, r.count());
        SectorRanges full = SectorRanges.of(LongStream.rangeClosed(1000, 3348).boxed().toList());
        assertEquals(1, full.ranges().size(), "a whole partition's sectors are one range");
        assertEquals(2349, full.count());
    }

    @Test
    void containsFindsExactlyTheHeldSectors() {
        SectorRanges r = SectorRanges.of(List.of(1L, 2L, 3L, 7L, 8L, 9L, 20L));
        for (long s = 0; s < 25; s++) {
            boolean held = (s >= 1 && s <= 3) || (s >= 7 && s <= 9) || s == 20;
            assertEquals(held, r.contains(s), "sector " + s);
        }
        assertFalse(SectorRanges.of(List.of()).contains(0));
    }

    @Test
    void overlappingOrUnorderedRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SectorRanges(List.of(new SectorRanges.Range(5, 9),
                new SectorRanges.Range(9, 12))));
        assertThrows(IllegalArgumentException.class, () -> new SectorRanges.Range(5, 4));
        assertTrue(new SectorRanges(List.of(new SectorRanges.Range(1, 2), new SectorRanges.Range(4, 4))).contains(4));
    }
}
