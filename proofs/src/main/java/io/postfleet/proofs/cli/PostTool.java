package io.postfleet.proofs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-tool}: the PoSt library from the command line. Exit 0 success, 1 invalid proof, 2 bad input. */
@Command(name = "post-tool", mixinStandardHelpOptions = true, version = "post-tool 0.1.0",
        description = "Filecoin fallback PoSt: Poseidon, challenges, trees, vanilla proofs, verification.",
        subcommands = {
                // each subcommand is one small class in this package; register it here
                PoseidonCommand.class,
                DevicesCommand.class,
                HashBenchCommand.class,
        })
public final class PostTool {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool in-process and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new PostTool()).execute(args);
    }
}
