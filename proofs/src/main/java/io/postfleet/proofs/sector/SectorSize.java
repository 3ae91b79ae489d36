package io.postfleet.proofs.sector;

import io.postfleet.proofs.merkle.Node;
import io.postfleet.proofs.merkle.TreeShape;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The sector sizes of Filecoin proofs: production sizes and the test-only ones, each with its tree_r_last shape and
 * the number of sectors a window PoSt partition holds (upstream WINDOW_POST_SECTOR_COUNT).
 */
public enum SectorSize {
    KIB_2("2KiB", 2L << 10, 0, 0, 2, 0),
    KIB_4("4KiB", 4L << 10, 2, 0, 2, -1),
    KIB_16("16KiB", 16L << 10, 8, 0, 2, -1),
    KIB_32("32KiB", 32L << 10, 8, 2, 2, -1),
    MIB_8("8MiB", 8L << 20, 0, 0, 2, 1),
    MIB_512("512MiB", 512L << 20, 0, 0, 2, 2),
    GIB_32("32GiB", 32L << 30, 8, 0, 2349, 3),
    GIB_64("64GiB", 64L << 30, 8, 2, 2300, 4);

    private final String label;
    private final long bytes;
    private final TreeShape shape;
    private final int windowPartitionSectors;
    /** Position in the registered-proof tables (winning 0..4, window V1 5..9, window V1_1 10..14); -1 for test sizes. */
    private final int registeredOffset;

    SectorSize(String label, long bytes, int sub, int top, int windowPartitionSectors, int registeredOffset) {
        this.label = label;
        this.bytes = bytes;
        this.shape = new TreeShape(bytes / Node.SIZE, 8, sub, top);
        this.windowPartitionSectors = windowPartitionSectors;
        this.registeredOffset = registeredOffset;
    }

    /**
     * Parses a size as written by operators: {@code 2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the accepted sizes
     */
    public static SectorSize parse(String text) {
        for (SectorSize s : values()) {
            if (s.label.equalsIgnoreCase(text == null ? "" : text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sector size '" + text + "'; use one of " + labels());
    }

    /** The size whose byte count is {@code bytes}. */
    public static SectorSize ofBytes(long bytes) {
        for (SectorSize s : values()) {
            if (s.bytes == bytes) {
                return s;
            }
        }
        throw new IllegalArgumentException("no sector size of " + bytes + " bytes; sizes are " + labels());
    }

    public static String labels() {
        return Arrays.stream(values()).map(SectorSize::label).collect(Collectors.joining(" "));
    }

    public String label() {
        return label;
    }

    public long bytes() {
        return bytes;
    }

    /** Replica nodes (leaves of tree_r_last). */
    public long nodes() {
        return bytes / Node.SIZE;
    }

    public TreeShape shape() {
        return shape;
    }

    /** Sectors per window PoSt partition (upstream WINDOW_POST_SECTOR_COUNT; 2 for test sizes). */
    public int windowPartitionSectors() {
        return windowPartitionSectors;
    }

    /** True for sizes that exist only in upstream tests (no registered proof type). */
    public boolean testOnly() {
        return registeredOffset < 0;
    }

    /**
     * The RegisteredPoStProof value of a current window proof of this size: {@code StackedDrgWindow*V1_1} (10..14),
     * which the proofs library runs as ApiVersion V1_2. {@code post.ApiVersion#registeredWindowProof} maps other
     * versions.
     *
     * @throws IllegalArgumentException for test-only sizes
     */
    public int registeredWindowProof() {
        requireRegistered();
        return 10 + registeredOffset;
    }

    /** The legacy {@code StackedDrgWindow*V1} value (5..9), ApiVersion V1_0. */
    public int registeredWindowProofV1() {
        requireRegistered();
        return 5 + registeredOffset;
    }

    /** The RegisteredPoStProof value of a winning proof of this size ({@code StackedDrgWinning*V1}, 0..4). */
    public int registeredWinningProof() {
        requireRegistered();
        return registeredOffset;
    }

    /** The size of a registered PoSt proof type value (0..14). */
    public static SectorSize ofRegisteredProof(int registeredProof) {
        if (registeredProof < 0 || registeredProof > 14) {
            throw new IllegalArgumentException("unknown registered PoSt proof type " + registeredProof + " (0..14)");
        }
        int offset = registeredProof % 5;
        for (SectorSize s : values()) {
            if (s.registeredOffset == offset) {
                return s;
            }
        }
        throw new IllegalStateException("no size for offset " + offset);
    }

    private void requireRegistered() {
        if (testOnly()) {
            throw new IllegalArgumentException(label + " is a test-only sector size without a registered proof type");
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
