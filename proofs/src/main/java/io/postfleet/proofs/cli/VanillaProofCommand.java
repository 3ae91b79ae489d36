package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.post.ApiVersion;
import io.postfleet.proofs.post.ChallengeDeriver;
import io.postfleet.proofs.post.FallbackPoStSectorProof;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.post.ProvingSector;
import io.postfleet.proofs.post.SectorFaultException;
import io.postfleet.proofs.post.VanillaProofCodec;
import io.postfleet.proofs.sector.SectorFiles;
import io.postfleet.proofs.sector.SectorSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code vanilla-proof}: one sector's proof as filecoin-ffi's generate_single_vanilla_proof returns it (bincode
 * FallbackPoStSectorProof). A sector that cannot be proven is an error (exit 2), as in the ffi call.
 */
@Command(name = "vanilla-proof", mixinStandardHelpOptions = true,
        description = "Write one sector's vanilla proof (bincode FallbackPoStSectorProof): window = its 10 challenges,"
                + " winning = its 66.")
final class VanillaProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HashOption hash;

    @Option(names = "--kind", required = true, description = "window or winning")
    String kind;

    @Option(names = "--sector-size", paramLabel = "SIZE", required = true,
            description = "the sector size: 2KiB 4KiB 16KiB 32KiB 8MiB 512MiB 32GiB 64GiB")
    String size;

    @Option(names = "--sector-id", paramLabel = "N", required = true,
            description = "the sector's number (the <num> of s-t0<miner>-<num>)")
    long sectorId;

    @Option(names = "--sealed", required = true, description = "the replica (sealed/s-t0<miner>-<num> or update/...)")
    Path sealed;

    @Option(names = "--cache-dir", required = true, description = "the sector's cache directory (p_aux, tree files)")
    Path cacheDir;

    @Option(names = "--comm-r", required = true, description = "comm_r from the chain, 64 hex digits")
    String commR;

    @Option(names = "--randomness", paramLabel = "HEX", required = true, description = "64 hex digits, canonical")
    String randomness;

    @Option(names = "--api", paramLabel = "V", defaultValue = "v1_2", description = "window only: v1_0, v1_1 or v1_2 (default ${DEFAULT-VALUE}); winning is always v1_0")
    String api;

    @Option(names = "--sector-index", paramLabel = "I", defaultValue = "0", description = "window v1_0/v1_1 only: the sector's global position")
    long sectorIndex;

    @Option(names = "--out", required = true, description = "where to write the proof bytes")
    Path out;

    @Override
    public Integer call() throws Exception {
        SectorSize s = Args.size(size);
        byte[] r = Args.node(randomness, "--randomness");
        byte[] c = Args.node(commR, "--comm-r");
        Args.nonNegative(sectorId, "--sector-id");
        long[] challenges = switch (kind) {
            case "window" -> ChallengeDeriver.window(s, Args.api(api), r, sectorId, Args.nonNegative(sectorIndex, "--sector-index"));
            case "winning" -> ChallengeDeriver.winning(s, r, sectorId);
            default -> throw new IllegalArgumentException("--kind must be window or winning, got '" + kind + "'");
        };
        try (HashBackend backend = hash.open();
             PartitionProver prover = new PartitionProver(backend, ProverSettings.defaults())) {
            FallbackPoStSectorProof proof;
            try {
                proof = prover.vanillaProof(s, new ProvingSector(sectorId, c,
                        new SectorFiles(0, sectorId, false, sealed, cacheDir)), challenges);
            } catch (SectorFaultException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            byte[] bytes = VanillaProofCodec.encode(proof);
            Files.write(out, bytes);
            spec.commandLine().getOut().println("wrote " + bytes.length + " bytes to " + out);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
