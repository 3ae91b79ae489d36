package io.postfleet.proving.storage.lotus;

import io.postfleet.proofs.sector.SectorSize;

/**
 * A RegisteredSealProof number of go-state-types ({@code abi/sector.go}): {@code StackedDrg*V1} 0..4,
 * {@code StackedDrg*V1_1} 5..9, {@code StackedDrg*V1_1_Feat_SyntheticPoRep} 10..14 and
 * {@code StackedDrg*V1_2_Feat_NiPoRep} 15..19, each run of five in the sizes 2KiB, 8MiB, 512MiB, 32GiB, 64GiB. PoSt
 * only needs its sector size: every variant of a size has the same replica and tree_r_last.
 *
 * @param value the number on the wire
 * @param size  the sector size it seals
 */
public record SealProofType(int value, SectorSize size) {

    private static final String[] SIZES = {"2KiB", "8MiB", "512MiB", "32GiB", "64GiB"};
    private static final String[] VARIANTS = {"V1", "V1_1", "V1_1_Feat_SyntheticPoRep", "V1_2_Feat_NiPoRep"};

    /**
     * The seal proof type numbered {@code value}.
     *
     * @throws IllegalArgumentException for a number go-state-types does not define
     */
    public static SealProofType of(long value) {
        if (value < 0 || value > 19) {
            throw new IllegalArgumentException(value + " is not a RegisteredSealProof (0..19)");
        }
        int v = (int) value;
        return new SealProofType(v, SectorSize.parse(SIZES[v % 5]));
    }

    /** The go-state-types name, e.g. {@code StackedDrg32GiBV1_1}. */
    public String name() {
        return "StackedDrg" + SIZES[value % 5] + VARIANTS[value / 5];
    }

    @Override
    public String toString() {
        return name() + " (" + value + ")";
    }
}
