package io.postfleet.messaging.topic;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.postfleet.schemas.PostKind;

/**
 * The names of the fleet's topics. Every process takes them from its configuration so that two fleets (or a test
 * and a demo) can share a broker under different names; {@link #defaults()} gives the documented ones.
 *
 * @param windowTasks  WindowPostTask records, one per partition to prove
 * @param winningTasks WinningPostTask records; a separate topic so winning work never queues behind window work
 * @param results      PostResult records (possibly chunked), keyed by task id
 * @param workers      WorkerStatus heartbeats keyed by worker id, compacted
 * @param deadLetters  records a worker could not decode, with error headers
 * @param settled      task id to how the miner settled it (accepted, abandoned), compacted: workers skip settled
 *                     tasks instead of proving them again
 * @param storage      StorageAnnouncement records keyed by node id, compacted: who holds which sectors, for remote
 *                     vanilla reads
 */
public record Topics(String windowTasks, String winningTasks, String results, String workers, String deadLetters,
                     String settled, String storage) {

    public static final String DEFAULT_WINDOW_TASKS = "post.window.tasks";
    public static final String DEFAULT_WINNING_TASKS = "post.winning.tasks";
    public static final String DEFAULT_RESULTS = "post.results";
    public static final String DEFAULT_WORKERS = "post.workers";
    public static final String DEFAULT_DEAD_LETTERS = "post.tasks.dlq";
    public static final String DEFAULT_SETTLED = "post.tasks.settled";
    public static final String DEFAULT_STORAGE = "post.storage";

    /** Partitions of each task topic: the most workers of one kind that can prove at the same time. */
    public static final int DEFAULT_TASK_PARTITIONS = 16;

    public Topics {
        for (var e : Map.of("window tasks", nn(windowTasks), "winning tasks", nn(winningTasks), "results", nn(results),
                "workers", nn(workers), "dead letters", nn(deadLetters), "settled", nn(settled), "storage",
                nn(storage)).entrySet()) {
            if (!e.getValue().matches("[a-zA-Z0-9._-]{1,249}")) {
                throw new IllegalArgumentException("topic name for " + e.getKey() + " '" + e.getValue()
                        + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-', at most 249)");
            }
        }
        if (List.of(windowTasks, winningTasks, results, workers, deadLetters, settled, storage).stream().distinct()
                .count() != 7) {
            throw new IllegalArgumentException("topic names must be distinct, got " + this);
        }
    }

    private static String nn(String s) {
        return Objects.requireNonNullElse(s, "");
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_WINDOW_TASKS, DEFAULT_WINNING_TASKS, DEFAULT_RESULTS, DEFAULT_WORKERS,
                DEFAULT_DEAD_LETTERS, DEFAULT_SETTLED, DEFAULT_STORAGE);
    }

    /** The same names with a prefix, e.g. {@code test1.post.window.tasks}: isolates tests sharing one broker. */
    public Topics withPrefix(String prefix) {
        return new Topics(prefix + windowTasks, prefix + winningTasks, prefix + results, prefix + workers,
                prefix + deadLetters, prefix + settled, prefix + storage);
    }

    /** The task topic a worker of this kind consumes. */
    public String tasks(PostKind kind) {
        return kind == PostKind.WINDOW ? windowTasks : winningTasks;
    }

    /**
     * The specs of all seven topics with {@link #DEFAULT_TASK_PARTITIONS} task partitions.
     *
     * @param replicationFactor 1 on a single broker, 3 in production
     */
    public List<TopicSpec> specs(short replicationFactor) {
        return specs(replicationFactor, DEFAULT_TASK_PARTITIONS);
    }

    public List<TopicSpec> specs(short replicationFactor, int taskPartitions) {
        return List.of(
                TopicSpec.tasks(windowTasks, taskPartitions, replicationFactor),
                TopicSpec.tasks(winningTasks, taskPartitions, replicationFactor),
                TopicSpec.results(results, taskPartitions, replicationFactor),
                TopicSpec.workers(workers, replicationFactor),
                TopicSpec.deadLetters(deadLetters, replicationFactor),
                TopicSpec.settled(settled, replicationFactor),
                TopicSpec.storage(storage, replicationFactor));
    }
}
