package io.postfleet.worker.host;

import java.util.Locale;

import io.postfleet.proofs.sector.SectorSize;
import io.postfleet.schemas.PostKind;

/**
 * What proving one kind of PoSt on one sector size needs of a host, the rule the start-up warnings apply. Lotus's
 * minimal requirements for 32GiB sectors are the reference: winningPoSt 64 GiB of RAM and a GPU with 6 GiB, windowPoSt
 * 128 GiB of RAM and a GPU with 8.5 GiB. Both figures are taken proportional to the sector size (64GiB sectors double
 * them; the trees, the vanilla proofs and the SNARK's circuit all grow with it), with two floors for the small sizes
 * that exist for tests and devnets:
 * <ul>
 *   <li>RAM is at least {@link #RAM_FLOOR} (the JVM, the Kafka clients and the prover's buffers, whatever the sector);
 *       so 2KiB to 512MiB winning sectors need 1 GiB, 512MiB window sectors 2 GiB;</li>
 *   <li>a GPU is called for only where the scaled GPU memory reaches {@link #GPU_FROM} (of the sizes that exist,
 *       32GiB and 64GiB): below it a CPU proves within the deadline, so no GPU and no GPU memory is required.</li>
 * </ul>
 *
 * @param ramBytes  host memory needed
 * @param vramBytes GPU memory needed; 0 when no GPU is needed
 */
public record ProvingRequirements(PostKind kind, SectorSize size, long ramBytes, long vramBytes) {

    /** The sector size Lotus's figures are for, and the one assumed when no sector is found. */
    public static final SectorSize REFERENCE = SectorSize.GIB_32;
    public static final long GIB = 1L << 30;
    public static final long RAM_FLOOR = GIB;
    public static final long GPU_FROM = GIB;

    private static final long WINNING_RAM = 64 * GIB;
    private static final long WINNING_VRAM = 6 * GIB;
    private static final long WINDOW_RAM = 128 * GIB;
    private static final long WINDOW_VRAM = 17 * GIB / 2;

    /** The requirements of {@code kind} on sectors of {@code size}. */
    public static ProvingRequirements of(PostKind kind, SectorSize size) {
        boolean window = kind == PostKind.WINDOW;
        double scale = (double) size.bytes() / REFERENCE.bytes();
        long ram = Math.max(RAM_FLOOR, Math.round((window ? WINDOW_RAM : WINNING_RAM) * scale));
        long vram = Math.round((window ? WINDOW_VRAM : WINNING_VRAM) * scale);
        return new ProvingRequirements(kind, size, ram, vram >= GPU_FROM ? vram : 0);
    }

    public boolean gpuRecommended() {
        return vramBytes > 0;
    }

    /** {@code windowPoSt on 32GiB sectors}. */
    public String what() {
        return kind.name().toLowerCase(Locale.ROOT) + "PoSt on " + size.label() + " sectors";
    }

    /** {@code windowPoSt on 32GiB sectors needs 128 GiB of RAM and a GPU with 8.5 GiB}. */
    @Override
    public String toString() {
        return what() + " needs " + bytes(ramBytes) + " of RAM and "
                + (gpuRecommended() ? "a GPU with " + bytes(vramBytes) : "no GPU");
    }

    /** Bytes as an operator reads them: {@code 8.5 GiB}, {@code 23.4 GiB}, {@code 512 MiB}. */
    public static String bytes(long n) {
        if (n >= GIB) {
            double g = (double) n / GIB;
            return (Math.abs(g - Math.rint(g)) < 0.05 ? String.format(Locale.ROOT, "%.0f", g)
                    : String.format(Locale.ROOT, "%.1f", g)) + " GiB";
        }
        return Math.round(n / (double) (1L << 20)) + " MiB";
    }
}
