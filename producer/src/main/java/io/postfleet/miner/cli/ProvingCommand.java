package io.postfleet.miner.cli;

import io.postfleet.cli.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.postfleet.proving.storage.auth.ApiPermission;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code post-miner proving ...}: what operators ask a running miner (and the fleet). */
@Command(name = "proving", mixinStandardHelpOptions = true,
        description = "Deadlines, workers and dry-run proofs of a running miner.",
        subcommands = {ProvingCommand.Deadlines.class, WorkersCommand.class, ProvingCommand.Compute.class})
public final class ProvingCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose: deadlines, workers, compute");
    }

    @Command(name = "deadlines", mixinStandardHelpOptions = true,
            description = "The proving period's deadlines: partitions, sectors, open epoch and "
            + "what became of the last challenge of each.")
    static final class Deadlines implements Callable<Integer> {
        @CommandLine.Mixin
        MinerApiOptions api;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return api.call(spec.commandLine(), ApiPermission.READ, "GET", "/deadlines", Duration.ofSeconds(10));
        }
    }

    @Command(name = "compute", mixinStandardHelpOptions = true,
            description = "Dry-run proofs: proven through the fleet (or by the miner when no "
            + "worker consumes), verified, never submitted.",
            subcommands = {Compute.WindowPost.class, Compute.WinningPost.class})
    static final class Compute implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "choose: window-post DEADLINE, winning-post");
        }

        @Command(name = "window-post", mixinStandardHelpOptions = true,
                description = "Prove every partition of DEADLINE now, with the current "
                + "epoch's randomness; prints each partition's worker and timing.")
        static final class WindowPost implements Callable<Integer> {
            @Parameters(index = "0", paramLabel = "DEADLINE", description = "deadline index, 0..47")
            int deadline;
            @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m",
                    converter = DurationConverter.class,
                    description = "How long to wait for the proofs (default ${DEFAULT-VALUE}).")
            Duration timeout;
            @CommandLine.Mixin
            MinerApiOptions api;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                if (deadline < 0 || deadline > 47) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "DEADLINE must be 0..47, got " + deadline);
                }
                return api.call(spec.commandLine(), ApiPermission.ADMIN, "POST", "/compute/window-post?deadline=" + deadline + "&timeout="
                        + timeout.toMillis() + "ms", timeout.plusSeconds(10));
            }
        }

        @Command(name = "winning-post", mixinStandardHelpOptions = true,
                description = "Prove the current epoch's winning ticket (won or not) within "
                + "the miner's winning budget.")
        static final class WinningPost implements Callable<Integer> {
            @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m",
                    converter = DurationConverter.class,
                    description = "How long to wait (default ${DEFAULT-VALUE}).")
            Duration timeout;
            @CommandLine.Mixin
            MinerApiOptions api;
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                return api.call(spec.commandLine(), ApiPermission.ADMIN, "POST", "/compute/winning-post?timeout=" + timeout.toMillis() + "ms",
                        timeout.plusSeconds(10));
            }
        }
    }
}
