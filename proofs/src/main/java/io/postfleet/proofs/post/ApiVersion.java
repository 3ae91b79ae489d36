package io.postfleet.proofs.post;

import io.postfleet.proofs.sector.SectorSize;

/**
 * The proofs library's ApiVersion for PoSt. It only changes how window challenges are indexed: V1_0 and V1_1 mix the
 * sector's position in the partition into its challenges, V1_2 (the grindability fix, used by current window proof
 * types) does not. Winning PoSt always runs V1_0.
 */
public enum ApiVersion {
    V1_0, V1_1, V1_2;

    /** The version current window proofs use (filecoin-ffi's {@code StackedDrgWindow*V1_1} types). */
    public static final ApiVersion WINDOW_DEFAULT = V1_2;

    /**
     * Parses {@code v1_0}, {@code v1_1}, {@code v1_2} (also {@code 1.2}, {@code V1_2_0}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static ApiVersion parse(String text) {
        String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT).replace('.', '_');
        if (!t.startsWith("V")) {
            t = "V" + t;
        }
        if (t.endsWith("_0") && t.length() == 6) {
            t = t.substring(0, 4);
        }
        for (ApiVersion v : values()) {
            if (v.name().equals(t)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ApiVersion '" + text + "'; use v1_0, v1_1 or v1_2");
    }

    /** The RegisteredPoStProof value of a window proof of {@code size} under this version. */
    public int registeredWindowProof(SectorSize size) {
        return switch (this) {
            case V1_0 -> size.registeredWindowProofV1();
            case V1_2 -> size.registeredWindowProof();
            case V1_1 -> throw new IllegalArgumentException("no registered window PoSt proof type runs ApiVersion V1_1");
        };
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
