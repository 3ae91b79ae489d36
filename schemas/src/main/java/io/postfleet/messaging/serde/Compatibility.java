package io.postfleet.messaging.serde;

/**
 * The registry's compatibility levels (the {@code COMPATIBILITY} rule's config value). The fleet runs BACKWARD:
 * a consumer on the new schema reads everything written with the previous one, so consumers upgrade first and a
 * field is added only with a default.
 */
public enum Compatibility {
    BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE, NONE
}
