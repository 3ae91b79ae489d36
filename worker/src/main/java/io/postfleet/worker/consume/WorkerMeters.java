package io.postfleet.worker.consume;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.postfleet.schemas.Outcome;
import io.postfleet.schemas.PostKind;
import io.postfleet.schemas.WorkerState;
import io.postfleet.worker.status.WorkerActivity;

/**
 * The worker's meters, all {@code post.worker.*}, tagged with the worker's kind: whether it is proving now, how long
 * each task took from being taken to its result being published, and how many records went to the dead-letter topic.
 */
final class WorkerMeters {

    private final MeterRegistry registry;
    private final String kind;
    private final Counter deadLetters;
    private final Counter skippedSettled;

    WorkerMeters(MeterRegistry registry, PostKind kind, Supplier<WorkerActivity> activity) {
        this.registry = registry;
        this.kind = kind.name().toLowerCase(Locale.ROOT);
        Gauge.builder("post.worker.proving", activity, a -> a.get().state() == WorkerState.PROVING ? 1 : 0)
                .description("1 while the worker is proving a task, 0 otherwise")
                .tag("kind", this.kind).register(registry);
        deadLetters = Counter.builder("post.worker.dead.letters")
                .description("task records that could not be decoded or were of the wrong kind, copied to the "
                        + "dead-letter topic")
                .tag("kind", this.kind).register(registry);
        skippedSettled = Counter.builder("post.worker.tasks.skipped.settled")
                .description("tasks not proven because the miner had already settled them (accepted or abandoned)")
                .tag("kind", this.kind).register(registry);
    }

    void skippedSettled() {
        skippedSettled.increment();
    }

    void deadLetter() {
        deadLetters.increment();
    }

    void taskDone(Outcome outcome, Duration took) {
        Timer.builder("post.worker.task.duration")
                .description("time from taking a task to its result being published")
                .tag("kind", kind).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .publishPercentiles(0.5, 0.99).register(registry).record(took);
    }
}
