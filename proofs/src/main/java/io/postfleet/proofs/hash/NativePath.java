package io.postfleet.proofs.hash;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The code paths of the native Poseidon library, fastest last. Each computes the same digests; the library runs the
 * ones the CPU supports.
 */
public enum NativePath {
    /** 64-bit limbs with {@code unsigned __int128} products: any 64-bit CPU. */
    PORTABLE("portable", 1),
    /** 64-bit limbs, the same code compiled for BMI2 and ADX (MULX products): x86-64 CPUs that have them. */
    MULX_ADX("mulx-adx", 2),
    /** AVX-512 IFMA, 52-bit limbs, eight hashes per vector: x86-64 with AVX512F and AVX512IFMA. */
    AVX512_IFMA("avx512-ifma", 4);

    private final String label;
    private final int bit;

    NativePath(String label, int bit) {
        this.label = label;
        this.bit = bit;
    }

    /** The name operators write ({@code native:mulx-adx}) and logs show. */
    public String label() {
        return label;
    }

    /** The library's code for this path. */
    int bit() {
        return bit;
    }

    /** Parses a label, case-insensitive; throws naming the labels. */
    public static NativePath parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        for (NativePath p : values()) {
            if (p.label.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown native path '" + text + "': use one of " + labels());
    }

    /** The labels, comma-separated. */
    public static String labels() {
        return Arrays.stream(values()).map(NativePath::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
