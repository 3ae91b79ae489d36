package io.postfleet.proofs.cli;

import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.sector.SectorSize;

/** Parsing of the values every command shares; each failure names the flag and what to write instead. */
final class Args {

    private Args() {
    }

    static byte[] node(String hex, String flag) {
        return Node.parseHex(hex, flag);
    }

    static SectorSize size(String text) {
        try {
            return SectorSize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--sector-size: " + e.getMessage());
        }
    }

    static ApiVersion api(String text) {
        try {
            return ApiVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--api: " + e.getMessage());
        }
    }

    static long nonNegative(long v, String flag) {
        if (v < 0) {
            throw new IllegalArgumentException(flag + " must be 0 or more, got " + v);
        }
        return v;
    }
}
