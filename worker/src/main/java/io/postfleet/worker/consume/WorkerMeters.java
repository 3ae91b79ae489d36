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
 * each task took from being taken to its result being published, how many records went to the dead-letter topic,
 * and how many finished proofs wait to be published through an outage.
 */
final class WorkerMeters {

    private final MeterRegistry registry;
    private final String kind;
    private final Counter deadLetters;
    private final Counter skippedSettled;
    private final java.util.concurrent.atomic.AtomicInteger held = new java.util.concurrent.atomic.AtomicInteger();

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
        Gauge.builder("post.worker.results.held", held, java.util.concurrent.atomic.AtomicInteger::get)
                .description("finished proofs kept because the broker or the schema registry could not take them "
                        + "yet; each is sent again every second until it is published, settled or due")
                .tag("kind", this.kind).register(registry);
    }

    /** A finished proof could not be published and is kept ({@code +1}), or is done with ({@code -1}). */
    void held(int change) {
        held.addAndGet(change);
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
