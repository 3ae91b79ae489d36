package io.postfleet.messaging.topic;

import java.time.Duration;
import java.util.Map;

/**
 * What a topic must look like: its partition count, replication factor and the topic configs the fleet depends on.
 * Configs not listed here are left to the broker's defaults and not checked.
 *
 * @param name              topic name
 * @param partitions        the minimum partition count (more is accepted: it only allows more parallel workers)
 * @param replicationFactor used when the topic is created
 * @param configs           topic configs that must have exactly these values
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    /**
     * Largest record a topic accepts, equal to the broker default {@code message.max.bytes} (1 MiB + 12 bytes of
     * batch overhead). Proofs above {@code ProofChunker.DEFAULT_MAX_CHUNK_BYTES} (900 KiB) are split to stay below it.
     */
    public static final int MAX_MESSAGE_BYTES = 1_048_588;

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be at least 1");
        }
        configs = Map.copyOf(configs);
    }

    /** Task topics: kept a day, long enough to replay a proving period's deadlines into a fresh group. */
    public static TopicSpec tasks(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", millis(Duration.ofDays(1)),
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    /** Results: a week, so replays can be compared with what was proven. */
    public static TopicSpec results(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", millis(Duration.ofDays(7)),
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    /**
     * Heartbeats: compacted on the worker id so a reader gets each worker's last status; one partition so one read
     * sees the whole fleet; short segments so compaction keeps it small.
     */
    public static TopicSpec workers(String name, short replicationFactor) {
        return new TopicSpec(name, 1, replicationFactor, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", millis(Duration.ofMinutes(10)),
                "min.cleanable.dirty.ratio", "0.1"));
    }

    /**
     * Settlements: compacted on the task id (a reader gets each task's last state) and deleted after a week (a
     * settled task older than that is past its deadline anyway); one partition so one read sees them all.
     */
    public static TopicSpec settled(String name, short replicationFactor) {
        return new TopicSpec(name, 1, replicationFactor, Map.of(
                "cleanup.policy", "compact,delete",
                "retention.ms", millis(Duration.ofDays(7)),
                "segment.ms", millis(Duration.ofHours(1)),
                "min.cleanable.dirty.ratio", "0.1"));
    }

    /**
     * Storage announcements: compacted on the node id (a reader gets each node's last announcement, a tombstone
     * removes a node that stopped serving); one partition so one read sees every holder.
     */
    public static TopicSpec storage(String name, short replicationFactor) {
        return new TopicSpec(name, 1, replicationFactor, Map.of(
                "cleanup.policy", "compact",
                "segment.ms", millis(Duration.ofMinutes(10)),
                "min.cleanable.dirty.ratio", "0.1"));
    }

    /** Dead letters: a month, for an operator to inspect and replay. */
    public static TopicSpec deadLetters(String name, short replicationFactor) {
        return new TopicSpec(name, 1, replicationFactor, Map.of(
                "cleanup.policy", "delete",
                "retention.ms", millis(Duration.ofDays(30)),
                "max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    private static String millis(Duration d) {
        return String.valueOf(d.toMillis());
    }
}
