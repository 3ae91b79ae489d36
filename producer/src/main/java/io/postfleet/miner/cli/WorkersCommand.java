package io.postfleet.miner.cli;

import io.postfleet.miner.MinerClients;
import io.postfleet.cli.DurationConverter;
import io.postfleet.schemas.GpuInfo;
import io.postfleet.schemas.WorkerStatus;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import io.postfleet.cli.ConfigDef;
import io.postfleet.cli.ConfigDef.Key;
import io.postfleet.proving.fleet.FleetKeys;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code post-miner proving workers}: every worker that sent a heartbeat, with its resources and the task in hand. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = "List the proving workers seen on the workers topic: kind, state, CPU, RAM, "
        + "GPUs, hash backend, task in hand, last heartbeat.")
public final class WorkersCommand implements Callable<Integer> {

    static final Key<Duration> STALE_AFTER = Key.of("--stale-after", null, "DURATION", "5s",
            "a worker silent for longer is shown as gone", DurationConverter::parse);
    static final Key<Boolean> ALL = Key.onOff("--all", null, "also list workers that have stopped or gone silent");
    /** The settings of {@code proving workers}. */
    static final ConfigDef DEFINITION = new ConfigDef(List.of(FleetKeys.BOOTSTRAP, FleetKeys.REGISTRY,
            FleetKeys.TOPIC_PREFIX, STALE_AFTER, ALL));

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ConfigDef.Config c = DEFINITION.build(spec, r -> r);
        Duration staleAfter = c.get(STALE_AFTER);
        boolean all = c.get(ALL);
        String topicPrefix = c.get(FleetKeys.TOPIC_PREFIX);
        Map<String, WorkerStatus> latest = new TreeMap<>();
        try (MinerClients clients = new MinerClients(c.get(FleetKeys.BOOTSTRAP), c.get(FleetKeys.REGISTRY),
                topicPrefix);
             Consumer<String, WorkerStatus> consumer = clients.heartbeatConsumer()) {
            String topic = clients.topics().workers();
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, WorkerStatus> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-18s %-8s %-8s %-16s %5s %5s %15s %-28s %-22s %-24s %s%n", "WORKER", "KIND", "STATE", "HOST", "CORES",
                "LOAD", "RAM used/total", "GPUS", "BACKEND", "TASK", "LAST SEEN");
        Instant now = Instant.now();
        int shown = 0;
        for (WorkerStatus w : latest.values()) {
            Duration age = Duration.between(w.getSentAt(), now);
            boolean gone = age.compareTo(staleAfter) > 0;
            String state = gone ? "GONE" : w.getState().name();
            if (!all && (gone || "STOPPING".equals(state))) {
                continue;
            }
            shown++;
            out.printf(Locale.ROOT, "%-18s %-8s %-8s %-16s %5d %5.2f %15s %-28s %-22s %-24s %ss ago%n", w.getWorkerId(),
                    w.getKind().name().toLowerCase(Locale.ROOT), state, w.getHost(), w.getCpuCores(), w.getCpuLoad(),
                    gib(w.getMemUsedBytes()) + "/" + gib(w.getMemTotalBytes()), gpus(w.getGpus()), w.getHashBackend(),
                    w.getCurrentTaskId() == null ? "-" : w.getCurrentTaskId(), age.toSeconds());
        }
        if (shown == 0) {
            out.println(latest.isEmpty() ? "(no worker has sent a heartbeat on " + topicPrefix + "post.workers)"
                    : "(no live worker; --all shows the " + latest.size() + " seen before)");
        }
        out.flush();
        return 0;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1fG", bytes / (double) (1L << 30));
    }

    private static String gpus(List<GpuInfo> gpus) {
        if (gpus.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (GpuInfo g : gpus) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(g.getName()).append(' ').append(gib(g.getMemUsedBytes())).append('/').append(gib(g.getMemTotalBytes()));
            if (g.getUtilization() >= 0) {
                sb.append(' ').append(g.getUtilization()).append('%');
            }
        }
        return sb.toString();
    }
}
