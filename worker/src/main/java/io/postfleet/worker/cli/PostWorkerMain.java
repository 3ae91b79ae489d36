package io.postfleet.worker.cli;

import io.postfleet.cli.BuildVersion;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.LogFormat;
import io.postfleet.messaging.ClientLogs;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-worker}: entry point. */
@Command(name = "post-worker", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Proves Filecoin windowPoSt or winningPoSt tasks taken from Kafka; serves sectors to other "
                + "workers (serve-storage).",
        subcommands = {RunCommand.class, ReplayCommand.class, ServeStorageCommand.class})
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
        ReplayCommand.defineOptions(cl.getSubcommands().get("replay"));
        ServeStorageCommand.defineOptions(cl.getSubcommands().get(ServeStorageCommand.NAME));
        // serve-storage refuses a bad flag as it refuses a bad value: one line, exit 2; every command refuses a bad
        // value from the environment so too, since its command line was well formed
        CommandLine.IParameterExceptionHandler standard = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((e, args) -> {
            boolean serve = e.getCommandLine().getCommandName().equals(ServeStorageCommand.NAME);
            boolean environment = e.getCause() instanceof ConfigException c && c.fromEnvironment();
            if (!serve && !environment) {
                return standard.handleParseException(e, args);
            }
            e.getCommandLine().getErr().println(e.getMessage() + (serve ? " (see post-worker "
                    + ServeStorageCommand.NAME + " --help)" : ""));
            e.getCommandLine().getErr().flush();
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run, replay, "
                + ServeStorageCommand.NAME);
    }
}
