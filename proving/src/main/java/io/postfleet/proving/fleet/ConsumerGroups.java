package io.postfleet.proving.fleet;

import io.postfleet.schemas.PostKind;

/**
 * How workers appear to Kafka, agreed by both sides: the default consumer group of each kind, and the consumer's
 * client id {@code <worker id>-consumer}, by which the miner matches a group member with that worker's heartbeats.
 */
public final class ConsumerGroups {

    public static final String WINDOW = "postfleet-window";
    public static final String WINNING = "postfleet-winning";
    private static final String CONSUMER_SUFFIX = "-consumer";

    private ConsumerGroups() {
    }

    /** The default group of a kind: window and winning workers never share partitions. */
    public static String defaultGroup(PostKind kind) {
        return kind == PostKind.WINDOW ? WINDOW : WINNING;
    }

    /** The client id a worker's task consumer runs under. */
    public static String consumerClientId(String workerId) {
        return workerId + CONSUMER_SUFFIX;
    }

    /** The worker id a group member's client id names; a client id of another shape is returned as it is. */
    public static String workerIdOf(String clientId) {
        return clientId.endsWith(CONSUMER_SUFFIX)
                ? clientId.substring(0, clientId.length() - CONSUMER_SUFFIX.length()) : clientId;
    }
}
