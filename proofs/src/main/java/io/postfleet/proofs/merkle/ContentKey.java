package io.postfleet.proofs.merkle;

import java.util.Arrays;

/** Bytes compared by content, as a map key: the same hash input (a group, a segment) is hashed once. */
record ContentKey(byte[] bytes) {

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length + " bytes";
    }
}
