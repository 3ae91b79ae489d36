package io.postfleet.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code post-worker}: entry point. */
@Command(name = "post-worker", mixinStandardHelpOptions = true, version = "post-worker 0.1.0",
        description = "Proves Filecoin windowPoSt or winningPoSt tasks taken from Kafka.",
        subcommands = {RunCommand.class, ReplayCommand.class})
public final class PostWorkerMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Kafka clients log every config at INFO: keep the worker's own lines readable unless asked otherwise
        // (the serde warns that as-confluent replaces its default id handler, which is what is wanted)
        quiet("org.apache.kafka", "warn");
        quiet("io.apicurio", "error");
        System.exit(commandLine().execute(args));
    }

    private static void quiet(String logger, String level) {
        String key = "org.slf4j.simpleLogger.log." + logger;
        if (System.getProperty(key) == null) {
            System.setProperty(key, level);
        }
    }

    /** The command line, for tests that run it in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new PostWorkerMain()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose a command: run, replay");
    }
}
