package io.postfleet.proving.storage.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Sector numbers as ascending, disjoint, inclusive ranges: 2349 consecutive sectors are one range, so an announcement
 * stays small whatever a node holds.
 */
public record SectorRanges(List<Range> ranges) {

    /** {@code first..last}, inclusive. */
    public record Range(long first, long last) {
        public Range {
            if (last < first) {
                throw new IllegalArgumentException("range " + first + ".." + last + " ends before it starts");
            }
        }
    }

    public SectorRanges {
        ranges = List.copyOf(ranges);
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).first() <= ranges.get(i - 1).last() + 1) {
                throw new IllegalArgumentException("sector ranges must be ascending and apart: " + ranges);
            }
        }
    }

    /** The ranges covering exactly {@code sectors}. */
    public static SectorRanges of(Collection<Long> sectors) {
        List<Range> out = new ArrayList<>();
        long first = -1;
        long last = -1;
        for (long s : new TreeSet<>(sectors)) {
            if (first >= 0 && s == last + 1) {
                last = s;
                continue;
            }
            if (first >= 0) {
                out.add(new Range(first, last));
            }
            first = s;
            last = s;
        }
        if (first >= 0) {
            out.add(new Range(first, last));
        }
        return new SectorRanges(out);
    }

    /** Whether {@code sector} lies in a range (binary search). */
    public boolean contains(long sector) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = ranges.get(mid);
            if (sector < r.first()) {
                hi = mid - 1;
            } else if (sector > r.last()) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** How many sector numbers the ranges hold. */
    public long count() {
        return ranges.stream().mapToLong(r -> r.last() - r.first() + 1).sum();
    }
}
