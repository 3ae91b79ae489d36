package io.postfleet.miner.events;

import java.time.Instant;
import java.util.Map;

/**
 * One event. {@code deadline} and {@code partition} are -1 where they do not apply (winning tasks); {@code details}
 * carries extra fields such as proving times.
 */
public record MinerEvent(Instant ts, EventType type, String taskId, int deadline, int partition, String worker,
                         String reason, Map<String, Object> details) {
    public MinerEvent {
        // details may hold nulls (a time a worker did not report): keep them, unmodifiable, in their order
        details = details == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
