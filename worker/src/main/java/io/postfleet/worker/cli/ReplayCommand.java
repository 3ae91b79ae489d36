package io.postfleet.worker.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigException;
import io.postfleet.cli.DurationConverter;
import io.postfleet.messaging.topic.Topics;
import io.postfleet.proofs.cli.HashOption;
import io.postfleet.proofs.hash.HashBackend;
import io.postfleet.proofs.post.PartitionProver;
import io.postfleet.proofs.post.ProverSettings;
import io.postfleet.proofs.sector.StoragePaths;
import io.postfleet.proving.fleet.FleetKeys;
import io.postfleet.proving.fleet.KafkaClientSettings;
import io.postfleet.proving.fleet.StartupCheck;
import io.postfleet.worker.consume.AvroWire;
import io.postfleet.worker.replay.TaskReplay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code post-worker replay}: prove a task topic's tasks again and compare with the recorded results. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay the tasks published since a time: prove each again (as of its publish time) and compare "
                + "with the proof recorded on the results topic. Joins no consumer group. A broker that does not "
                + "answer or refuses the login is refused in one line, exit 2. Exit 0 when every record "
                + "was read and no replayed proof differs; 1 when a proof differs or a record is unreadable (its "
                + "schema id unknown to the registry, or not a task), as the last line says.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--windowpost", description = "replay the window task topic")
    boolean window;

    @Option(names = "--winningpost", description = "replay the winning task topic")
    boolean winning;

    @Option(names = "--since", required = true, paramLabel = "TIME|DURATION",
            description = "an ISO-8601 instant (2026-11-24T10:00:00Z) or a duration back from now (30m, 2h)")
    String since;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", defaultValue = "${env:POSTFLEET_BOOTSTRAP}",
            description = "Kafka bootstrap servers (env POSTFLEET_BOOTSTRAP)")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL", defaultValue = "${env:POSTFLEET_REGISTRY}",
            description = "schema registry URL (env POSTFLEET_REGISTRY)")
    String registry;

    @Option(names = "--storage", paramLabel = "PATH", required = true,
            description = "storage path holding the sectors (Lotus layout); repeat for several")
    List<Path> storage = new ArrayList<>();

    @Mixin
    HashOption hash;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix of the topic names (default none)")
    String topicPrefix;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The settings replay shares with the other commands, defined once: its Kafka client settings. */
    static final ConfigDef SHARED = new ConfigDef(List.of(FleetKeys.KAFKA_CONFIG, FleetKeys.KAFKA_PROPERTY));

    /** Adds the shared settings to this command's options. */
    static void defineOptions(CommandLine replay) {
        SHARED.addTo(replay.getCommandSpec());
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        KafkaClientSettings kafka = SHARED.build(spec, c -> KafkaClientSettings.resolve(c, System.getenv()));
        if (window == winning) {
            throw new CommandLine.ParameterException(cl, "choose the topic to replay: --windowpost or --winningpost");
        }
        if (bootstrap == null || bootstrap.isBlank() || registry == null || registry.isBlank()) {
            throw new CommandLine.ParameterException(cl, "--bootstrap and --registry are required (or "
                    + "POSTFLEET_BOOTSTRAP / POSTFLEET_REGISTRY)");
        }
        Instant from = parseSince(cl, since);
        try {
            new StartupCheck().broker(FleetKeys.BOOTSTRAP.flag(), bootstrap, kafka);
        } catch (ConfigException e) {
            cl.getErr().println(e.getMessage());
            cl.getErr().flush();
            return 2;
        }
        Topics topics = Topics.defaults().withPrefix(topicPrefix);
        String taskTopic = window ? topics.windowTasks() : topics.winningTasks();
        Map<TaskReplay.Verdict, Integer> counts = new EnumMap<>(TaskReplay.Verdict.class);
        try (HashBackend backend = hash.open(); AvroWire wire = new AvroWire(registry)) {
            TaskReplay replay = new TaskReplay(bootstrap, kafka, wire,
                    new PartitionProver(backend, ProverSettings.defaults()), new StoragePaths(storage));
            List<TaskReplay.Line> lines = replay.replay(taskTopic, topics.results(), from, (n, l) ->
                    cl.getOut().printf("%4d %-12s %-34s %s%n", n, l.verdict().name().toLowerCase(Locale.ROOT), l.taskId(),
                            l.detail()));
            lines.forEach(l -> counts.merge(l.verdict(), 1, Integer::sum));
            cl.getOut().printf("replayed %d tasks of %s since %s: %s%n", lines.size(), taskTopic, from, counts);
            Summary summary = Summary.of(counts);
            cl.getOut().println(summary.line());
            cl.getOut().flush();
            return summary.exitCode();
        }
    }

    /** What the replay says in its last line and exit status, from the verdict counts. */
    record Summary(int differs, int unreadable) {

        static Summary of(Map<TaskReplay.Verdict, Integer> counts) {
            return new Summary(counts.getOrDefault(TaskReplay.Verdict.DIFFERS, 0),
                    counts.getOrDefault(TaskReplay.Verdict.UNREADABLE, 0));
        }

        int exitCode() {
            return differs == 0 && unreadable == 0 ? 0 : 1;
        }

        String line() {
            if (exitCode() == 0) {
                return "OK: every record was read and no replayed proof differs";
            }
            List<String> why = new ArrayList<>();
            if (unreadable > 0) {
                why.add(unreadable + (unreadable == 1 ? " record is" : " records are") + " unreadable (a schema id the "
                        + "registry does not know, e.g. a registry that lost its data, or not a task)");
            }
            if (differs > 0) {
                why.add(differs + (differs == 1 ? " replayed proof differs" : " replayed proofs differ")
                        + " from the recorded ones");
            }
            return "FAILED (exit 1): " + String.join("; ", why);
        }
    }

    static Instant parseSince(CommandLine cl, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException notInstant) {
            try {
                Duration back = DurationConverter.parse(text);
                return Instant.now().minus(back);
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(cl, "--since '" + text + "' is neither an instant such as "
                        + "2026-11-24T10:00:00Z nor a duration such as 30m");
            }
        }
    }
}
