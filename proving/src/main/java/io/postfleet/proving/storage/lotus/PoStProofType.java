package io.postfleet.proving.storage.lotus;

import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.sector.SectorSize;

/**
 * A RegisteredPoStProof number of go-state-types ({@code abi/sector.go}): winning {@code StackedDrgWinning*V1} 0..4,
 * window {@code StackedDrgWindow*V1} 5..9 and {@code StackedDrgWindow*V1_1} 10..14, each run of five in the sizes
 * 2KiB, 8MiB, 512MiB, 32GiB, 64GiB.
 *
 * @param value the number on the wire
 * @param size  the sector size it proves
 * @param kind  winning or window
 */
public record PoStProofType(int value, SectorSize size, Kind kind) {

    /** Which PoSt a proof type belongs to. */
    public enum Kind {
        WINNING, WINDOW
    }

    private static final String[] SIZES = {"2KiB", "8MiB", "512MiB", "32GiB", "64GiB"};

    /**
     * The proof type numbered {@code value}.
     *
     * @throws IllegalArgumentException for a number go-state-types does not define
     */
    public static PoStProofType of(long value) {
        if (value < 0 || value > 14) {
            throw new IllegalArgumentException(value + " is not a RegisteredPoStProof (winning 0..4, window 5..14)");
        }
        int v = (int) value;
        return new PoStProofType(v, SectorSize.ofRegisteredProof(v), v < 5 ? Kind.WINNING : Kind.WINDOW);
    }

    /** The go-state-types name, e.g. {@code StackedDrgWindow32GiBV1_1}. */
    public String name() {
        String size = SIZES[value % 5];
        return switch (value / 5) {
            case 0 -> "StackedDrgWinning" + size + "V1";
            case 1 -> "StackedDrgWindow" + size + "V1";
            default -> "StackedDrgWindow" + size + "V1_1";
        };
    }

    /** How many leaves one sector's vanilla proof of this kind opens: 10 (window) or 66 (winning). */
    public int challengesPerSector() {
        return kind == Kind.WINNING ? ChallengeDeriver.WINNING_CHALLENGES : ChallengeDeriver.WINDOW_CHALLENGES;
    }

    @Override
    public String toString() {
        return name() + " (" + value + ")";
    }
}
