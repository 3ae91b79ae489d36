package io.postfleet.miner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.postfleet.miner.events.EventLog;
import io.postfleet.miner.events.EventType;
import io.postfleet.miner.events.MinerEvent;
import io.postfleet.miner.lag.LagMonitor;
import io.postfleet.miner.lag.WorkerRoster;
import io.postfleet.schemas.PostKind;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The miner's Prometheus metrics: events by type (missed deadlines are the alert), per kind the group lag, live
 * workers and member count, the time from publish to accepted proof, rejected results by worker, and how late
 * duplicate results come.
 */
public final class MinerMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<EventType, Counter> counters = new EnumMap<>(EventType.class);
    private final Map<PostKind, Timer> acceptedAfter = new EnumMap<>(PostKind.class);
    private final Timer duplicates;

    private final WorkerRoster roster;

    MinerMetrics(EventLog events, LagMonitor lag, WorkerRoster roster) {
        this.roster = roster;
        for (EventType t : EventType.values()) {
            counters.put(t, Counter.builder("post.miner.events").tag("type", t.wireName())
                    .description("miner events by type (see the events file)").register(registry));
        }
        duplicates = Timer.builder("post.miner.results.duplicate")
                .description("results for tasks already settled, ignored, by how late they came: after the accepted "
                        + "result, or after the task was due")
                .register(registry);
        for (PostKind kind : PostKind.values()) {
            String k = kind.name().toLowerCase(Locale.ROOT);
            acceptedAfter.put(kind, Timer.builder("post.miner.accepted.after").tag("kind", k)
                    .description("time from publishing a task to accepting its verified proof, by kind")
                    .publishPercentiles(0.5, 0.99).register(registry));
            Gauge.builder("post.miner.group.lag", lag, l -> l.view(kind).lag()).tag("kind", k)
                    .description("task records not yet committed by the kind's consumer group").register(registry);
            Gauge.builder("post.miner.group.members", lag, l -> l.view(kind).partitionsByMember().size())
                    .tag("kind", k).description("members of the kind's consumer group").register(registry);
            Gauge.builder("post.miner.live.workers", roster, r -> r.live(kind).size()).tag("kind", k)
                    .description("workers of the kind with a fresh heartbeat").register(registry);
        }
        events.onEvent(this::count);
    }

    private void count(MinerEvent e) {
        counters.get(e.type()).increment();
        if (e.type() == EventType.ACCEPTED && e.details().get("since_publish_ms") instanceof Number n) {
            acceptedAfter.get(kindOf(e)).record(java.time.Duration.ofMillis(n.longValue()));
        }
        if (e.type() == EventType.REJECTED && e.worker() != null) {
            rejected(kindOf(e), e.worker()).increment();
        }
        if (e.type() == EventType.DUPLICATE && e.details().get("late_ms") instanceof Number n) {
            duplicates.record(java.time.Duration.ofMillis(n.longValue()));
        }
    }

    private Counter rejected(PostKind kind, String worker) {
        return Counter.builder("post.miner.results.rejected").tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag("worker", worker)
                .description("results that failed verification or reported a failure, by the worker that sent them")
                .register(registry);
    }

    /** Winning tasks belong to no deadline. */
    private static PostKind kindOf(MinerEvent e) {
        return e.deadline() < 0 ? PostKind.WINNING : PostKind.WINDOW;
    }

    /** Where other parts of the miner register their meters (they appear on /metrics). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        // each live worker's rejection counter exists from 0, so its first rejection is an increase an alert sees
        for (PostKind kind : PostKind.values()) {
            roster.live(kind).forEach(w -> rejected(kind, w.getWorkerId()));
        }
        return registry.scrape();
    }

    public double count(EventType type) {
        return counters.get(type).count();
    }
}
