package io.postfleet.messaging.topic;

/** An existing topic does not fit its {@link TopicSpec}; the message names the topic, the mismatch and the fix. */
public final class TopicMismatchException extends IllegalStateException {
    public TopicMismatchException(String message) {
        super(message);
    }
}
