package io.postfleet.miner.cli;

import io.postfleet.cli.BuildVersion;
import io.postfleet.cli.LogFormat;
import io.postfleet.messaging.ClientLogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-miner}: entry point. */
@Command(name = "post-miner", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "A storage provider's PoSt scheduler: publishes windowPoSt and winningPoSt tasks to the worker "
                + "fleet through Kafka, verifies the results, proves locally when no worker consumes.",
        subcommands = {RunCommand.class, InfoCommand.class, ProvingCommand.class, AuthCommand.class})
public final class PostMiner implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ClientLogs.quietByDefault();
        LogFormat.install();
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PostMiner()).setCaseInsensitiveEnumValuesAllowed(true);
        RunCommand.defineOptions(cl.getSubcommands().get("run"));
        AuthCommand.defineOptions(cl.getSubcommands().get("auth"));
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run, info, proving, auth");
    }
}
