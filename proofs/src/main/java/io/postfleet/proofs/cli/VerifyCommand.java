package io.postfleet.proofs.cli;

import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.post.PartitionProof;
import io.postfleet.proofs.post.PostVerifier;
import io.postfleet.proofs.post.ProofBundle;
import io.postfleet.proofs.post.Verdict;
import io.postfleet.proofs.sector.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code verify window|winning}: checks a proof bundle against the manifest's records (comm_r per sector) and
 * challenges derived from the randomness. Exit 0 valid, 1 invalid with the reason.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a proof bundle from the verifier's own records: exit 0 valid, 1 invalid (reason on stderr).")
final class VerifyCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--manifest", paramLabel = "FILE", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "the records: sector ids and comm_r")
    Path manifest;

    @Option(names = "--randomness", paramLabel = "HEX", required = true, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "the randomness the proof was made for: 64 hex digits, canonical")
    String randomness;

    @Option(names = "--proof", required = true, scope = picocli.CommandLine.ScopeType.INHERIT, description = "proof bundle file")
    Path proof;

    @Command(name = "window", mixinStandardHelpOptions = true, description = "Verify window partition K.")
    int window(@Mixin HashOption hash,
               @Option(names = "--partition", paramLabel = "K", defaultValue = "0",
                       description = "partition index (default ${DEFAULT-VALUE})") int partition,
               @Option(names = "--api", paramLabel = "V", defaultValue = "v1_2", description = "v1_0, v1_1 or v1_2 (default ${DEFAULT-VALUE})") String api)
            throws Exception {
        Manifest m = Manifest.read(manifest);
        byte[] r = Args.node(randomness, "--randomness");
        SortedMap<Long, byte[]> expected = new TreeMap<>();
        for (Manifest.Entry e : ProveCommand.partition(m, partition)) {
            expected.put(e.id(), e.commR());
        }
        PartitionProof p = read();
        if (p == null) {
            return 1;
        }
        try (HashBackend backend = hash.open()) {
            return report(new PostVerifier(backend).verifyWindow(m.sectorSize(), Args.api(api), partition, r, expected, p), p);
        }
    }

    @Command(name = "winning", mixinStandardHelpOptions = true, description = "Verify a winning proof.")
    int winning(@Mixin HashOption hash,
                @Option(names = "--prover-id", paramLabel = "HEX", required = true,
                        description = "64 hex digits (miner 1000: e807 then zeros)") String proverId) throws Exception {
        Manifest m = Manifest.read(manifest);
        byte[] r = Args.node(randomness, "--randomness");
        byte[] pid = Args.node(proverId, "--prover-id");
        SortedMap<Long, byte[]> eligible = new TreeMap<>();
        for (Manifest.Entry e : m.sectors()) {
            eligible.put(e.id(), e.commR());
        }
        PartitionProof p = read();
        if (p == null) {
            return 1;
        }
        try (HashBackend backend = hash.open()) {
            return report(new PostVerifier(backend).verifyWinning(m.sectorSize(), r, pid, eligible, p), p);
        }
    }

    private PartitionProof read() throws Exception {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(proof);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--proof " + proof + " does not exist");
        }
        try {
            return ProofBundle.decode(bytes);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("invalid: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return null;
        }
    }

    private int report(Verdict v, PartitionProof p) {
        if (v instanceof Verdict.Invalid inv) {
            spec.commandLine().getErr().println("invalid: " + inv.reason());
            spec.commandLine().getErr().flush();
            return 1;
        }
        spec.commandLine().getOut().println("valid: " + p.proven().size() + " sector(s) proven, " + p.skipped().size() + " skipped");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
