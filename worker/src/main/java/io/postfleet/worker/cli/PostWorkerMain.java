package io.postfleet.worker.cli;

import io.postfleet.cli.BuildVersion;
import io.postfleet.cli.LogFormat;
import io.postfleet.messaging.ClientLogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-worker}: entry point. */
@Command(name = "post-worker", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Proves Filecoin windowPoSt or winningPoSt tasks taken from Kafka.",
        subcommands = {RunCommand.class, ReplayCommand.class})
public final class PostWorkerMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        ClientLogs.quietByDefault();
        LogFormat.install();
        System.exit(commandLine().execute(args));
    }

    /** The command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new PostWorkerMain()).setCaseInsensitiveEnumValuesAllowed(true);
        RunCommand.defineOptions(cl.getSubcommands().get("run"));
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run, replay");
    }
}
