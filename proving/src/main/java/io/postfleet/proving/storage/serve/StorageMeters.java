package io.postfleet.proving.storage.serve;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The storage endpoint's meters, all {@code post.storage.*}: requests by route and outcome, proof bytes served, how
 * long proving a requested sector took (with percentiles), and the reads running and waiting for a slot now.
 */
final class StorageMeters {

    private final MeterRegistry registry;
    private final Counter served;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();

    StorageMeters(MeterRegistry registry) {
        this.registry = registry;
        served = Counter.builder("post.storage.served").baseUnit("bytes")
                .description("vanilla proof bytes answered to /remote/vanilla/single").register(registry);
        Gauge.builder("post.storage.reads.active", active, AtomicInteger::get)
                .description("sector reads running now (at most --parallel-reads)").register(registry);
        Gauge.builder("post.storage.reads.waiting", waiting, AtomicInteger::get)
                .description("requests waiting for a read slot").register(registry);
    }

    /** One answered request: {@code route} {@code vanilla_single} or {@code stat}, the outcome as in the answer. */
    void request(String route, String outcome) {
        Counter.builder("post.storage.requests")
                .description("requests to the storage endpoint by route and outcome (served, not_held, bad_request,"
                        + " unauthorized, too_large, timed_out, failed, ...)")
                .tag("route", route).tag("outcome", outcome).register(registry).increment();
    }

    void served(long bytes) {
        served.increment(bytes);
    }

    /** The time from a valid request to its answer, proof read and hashed, by outcome. */
    void read(String outcome, Duration took) {
        Timer.builder("post.storage.read.duration")
                .description("time from a valid vanilla proof request to its answer, waiting for a slot included")
                .tag("outcome", outcome).publishPercentiles(0.5, 0.9, 0.99)
                .register(registry).record(took);
    }

    AtomicInteger active() {
        return active;
    }

    AtomicInteger waiting() {
        return waiting;
    }
}
