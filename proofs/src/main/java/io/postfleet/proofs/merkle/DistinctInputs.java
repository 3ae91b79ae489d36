package io.postfleet.proofs.merkle;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Numbers hash inputs (a group of nodes, a replica segment) by content, in order of first sight, so that the same
 * bytes are hashed once: the same input gives the same digest, whichever proof it came from.
 */
final class DistinctInputs {

    private final Map<Key, Integer> slots = new HashMap<>();

    /**
     * The slot of {@code bytes}: the slot of equal bytes seen before, else the next free one ({@link #count()} before
     * the call). The array is kept as the key: the caller must not change it afterwards.
     */
    int slot(byte[] bytes) {
        return slots.computeIfAbsent(new Key(bytes), k -> slots.size());
    }

    /** How many distinct inputs were seen. */
    int count() {
        return slots.size();
    }

    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
