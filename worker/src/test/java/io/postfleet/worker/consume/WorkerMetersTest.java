package io.postfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.worker.status.WorkerActivity;
import org.junit.jupiter.api.Test;

class WorkerMetersTest {

    @Test
    void meterNamesAndTagsAreTheSameUnderATurkishDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR"));
        try {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            WorkerMeters meters = new WorkerMeters(registry, PostKind.WINDOW, () -> WorkerActivity.idle(0));
            meters.taskDone(Outcome.PROVEN, Duration.ofMillis(5));
            meters.deadLetter();
            assertNotNull(registry.find("post.worker.task.duration").tag("kind", "window").tag("outcome", "proven")
                    .timer(), registry.getMetersAsString());
            assertEquals(1.0, registry.find("post.worker.dead.letters").tag("kind", "window").counter().count());
            for (Meter m : registry.getMeters()) {
                assertTrue(m.getId().getName().startsWith("post.worker."), m.getId().getName());
                if (m.getId().getName().endsWith(".percentile")) {
                    continue;   // the p50/p99 gauges a timer derives here; Prometheus shows them in the timer's summary
                }
                assertNotNull(m.getId().getDescription(), m.getId().getName() + " has a description");
            }
        } finally {
            Locale.setDefault(before);
        }
    }
}
