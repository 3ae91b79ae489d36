package io.postfleet.proofs;

import io.postfleet.proofs.hash.CpuHashBackend;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.hash.NativePoseidon;

/**
 * The backend tests hash with: the Java path, or the native library's fastest path when the system property
 * {@value #PROPERTY} is {@code native} (the build runs the proving and verification tests once that way; trees are
 * also checked against the reference Poseidon).
 */
public final class TestHashing {

    /** System property choosing the tests' backend: {@code java} (default) or {@code native}. */
    public static final String PROPERTY = "postfleet.test.hash";

    private TestHashing() {
    }

    public static HashBackend backend() {
        String which = System.getProperty(PROPERTY, "java");
        return switch (which) {
            case "java" -> new CpuHashBackend(2);
            case "native" -> CpuHashBackend.nativeBest(NativePoseidon.get().orElseThrow(() -> new IllegalStateException(
                    PROPERTY + "=native but " + NativePoseidon.unavailableReason().orElse("the library did not load"))));
            default -> throw new IllegalArgumentException(PROPERTY + " must be java or native, not " + which);
        };
    }
}
