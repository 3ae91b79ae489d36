package io.postfleet.proofs.cli;

import io.postfleet.proofs.field.Fr;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.poseidon.PoseidonParameters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code post-tool poseidon --arity N HEX...}: one Poseidon digest, as Filecoin's trees compute it. */
@Command(name = "poseidon", mixinStandardHelpOptions = true,
        description = {"Prints the Poseidon digest (MerkleTree domain tag, neptune v11) of ARITY field elements.",
                "Each element and the digest are 64 hex digits: the 32-byte little-endian canonical encoding"
                        + " (no 0x). A value >= p is refused, never reduced. Exit 2 on bad input."})
public final class PoseidonCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    HashOption hash;

    @Option(names = "--arity", required = true, paramLabel = "N", description = "Inputs per hash: 2, 4, 8, 11 or 16.")
    int arity;

    @Parameters(paramLabel = "HEX", arity = "1..*", description = "The input elements, 64 hex digits each.")
    List<String> inputs;

    @Override
    public Integer call() {
        if (!PoseidonParameters.ARITIES.contains(arity)) {
            throw new ParameterException(spec.commandLine(), "--arity " + arity + " is not supported; use one of "
                    + PoseidonParameters.ARITIES);
        }
        if (inputs.size() != arity) {
            throw new ParameterException(spec.commandLine(), "--arity " + arity + " needs exactly " + arity
                    + " input elements, got " + inputs.size());
        }
        byte[] in = new byte[arity * Fr.BYTES];
        for (int i = 0; i < arity; i++) {
            String hex = inputs.get(i);
            if (hex.length() != 2 * Fr.BYTES || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new ParameterException(spec.commandLine(), "input " + (i + 1) + " '" + hex
                        + "' must be exactly 64 hex digits (32 bytes little-endian, no 0x)");
            }
            System.arraycopy(HexFormat.of().parseHex(hex), 0, in, i * Fr.BYTES, Fr.BYTES);
            if (!Fr.isCanonical(in, i * Fr.BYTES)) {
                throw new ParameterException(spec.commandLine(), "input " + (i + 1) + " " + hex
                        + " is not a canonical BLS12-381 Fr element (value >= p); Filecoin refuses it, so does this tool");
            }
        }
        byte[] out = new byte[Fr.BYTES];
        try (HashBackend backend = hash.open()) {
            backend.hashGroups(arity, in, 0, 1, out, 0);
        }
        spec.commandLine().getOut().println(HexFormat.of().formatHex(out));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
