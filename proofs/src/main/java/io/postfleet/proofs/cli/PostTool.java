package io.postfleet.proofs.cli;

import io.postfleet.cli.LogFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-tool}: the PoSt library from the command line. Exit 0 success, 1 invalid proof, 2 bad input. */
@Command(name = "post-tool", mixinStandardHelpOptions = true, version = "post-tool 0.1.0",
        description = "Filecoin fallback PoSt: Poseidon, challenges, trees, vanilla proofs, verification.",
        subcommands = {
                // each subcommand is one small class in this package; register it here
                ChallengesCommand.class,
                TreeRLastCommand.class,
                VanillaProofCommand.class,
                PledgeCommand.class,
                ProveCommand.class,
                VerifyCommand.class,
                BenchCommand.class,
                PoseidonCommand.class,
                DevicesCommand.class,
                HashBenchCommand.class,
        })
public final class PostTool {

    public static void main(String[] args) {
        LogFormat.install();
        System.exit(run(args));
    }

    /** Runs the tool in-process and returns its exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The command line, for tests that walk its commands. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new PostTool());
        // Bad input (a flag, a file, a sector) is exit 2 with the reason; commands return 1 themselves for invalid proofs.
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String msg = e.getMessage() != null ? e.getMessage() : e.toString();
            if (e instanceof java.nio.file.NoSuchFileException f) {
                msg = "no such file: " + f.getFile();
            }
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + msg);
            commandLine.getErr().flush();
            return 2;
        });
        return cmd;
    }
}
