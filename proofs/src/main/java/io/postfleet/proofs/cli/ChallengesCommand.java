package io.postfleet.proofs.cli;

import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.sector.SectorSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code challenges window|winning}: the leaves a proof must open, one per line. */
@Command(name = "challenges", mixinStandardHelpOptions = true,
        description = "Print the challenged leaf indices of a window or winning PoSt (SHA-256 derivation of the spec).")
final class ChallengesCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "window", mixinStandardHelpOptions = true,
            description = "The 10 leaves a window proof opens in one sector, one per line.")
    int window(@Option(names = "--sector-size", paramLabel = "SIZE", required = true, description = "2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB") String size,
               @Option(names = "--randomness", paramLabel = "HEX", required = true, description = "64 hex digits, canonical (byte 31 <= 0x3f)") String randomness,
               @Option(names = "--sector-id", paramLabel = "N", required = true,
                       description = "the sector whose leaves to print") long sectorId,
               @Option(names = "--api", paramLabel = "V", defaultValue = "v1_2", description = "v1_0, v1_1 or v1_2 (default ${DEFAULT-VALUE})") String api,
               @Option(names = "--sector-index", paramLabel = "I", defaultValue = "0",
                       description = "global position of the sector (partition x sectors per partition + position); only v1_0/v1_1 use it") long sectorIndex) {
        SectorSize s = Args.size(size);
        long[] leaves = ChallengeDeriver.window(s, Args.api(api), Args.node(randomness, "--randomness"),
                Args.nonNegative(sectorId, "--sector-id"), Args.nonNegative(sectorIndex, "--sector-index"));
        PrintWriter out = spec.commandLine().getOut();
        for (long l : leaves) {
            out.println(l);
        }
        out.flush();
        return 0;
    }

    @Command(name = "winning", mixinStandardHelpOptions = true,
            description = "The index of the challenged sector among COUNT eligible sectors, then the 66 leaves of sector N.")
    int winning(@Option(names = "--sector-size", paramLabel = "SIZE", required = true,
                        description = "2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB") String size,
                @Option(names = "--randomness", paramLabel = "HEX", required = true, description = "64 hex digits, canonical") String randomness,
                @Option(names = "--prover-id", paramLabel = "HEX", required = true, description = "64 hex digits (miner 1000: e807 then zeros)") String proverId,
                @Option(names = "--sector-id", paramLabel = "N", required = true, description = "the sector whose leaves to print") long sectorId,
                @Option(names = "--eligible", paramLabel = "COUNT", required = true, description = "number of eligible sectors") long eligible) {
        SectorSize s = Args.size(size);
        byte[] r = Args.node(randomness, "--randomness");
        byte[] p = Args.node(proverId, "--prover-id");
        if (eligible < 1) {
            throw new IllegalArgumentException("--eligible must be at least 1, got " + eligible);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("sector-index " + ChallengeDeriver.winningSectorIndex(r, p, eligible));
        for (long l : ChallengeDeriver.winning(s, r, Args.nonNegative(sectorId, "--sector-id"))) {
            out.println(l);
        }
        out.flush();
        return 0;
    }
}
