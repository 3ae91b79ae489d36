package io.postfleet.bench;

import io.postfleet.miner.MinerApp;
import io.postfleet.miner.events.MinerEvent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The miner's events stamped with {@link System#nanoTime()} the moment they are emitted (listeners run on the
 * emitting thread), so every interval the benchmark reports is read from one monotonic clock.
 */
final class EventClock {

    /** An event and the monotonic time it was emitted at. */
    record Stamped(MinerEvent event, long nanos) {
    }

    private final MinerApp app;
    private final List<Stamped> seen = new ArrayList<>();

    EventClock(MinerApp app) {
        this.app = app;
        app.events().onEvent(this::record);
    }

    private synchronized void record(MinerEvent e) {
        seen.add(new Stamped(e, System.nanoTime()));
        notifyAll();
    }

    /**
     * The first event matching {@code what}, waiting up to {@code timeout}.
     *
     * @throws IllegalStateException naming {@code description} and listing the recent events when none came
     */
    synchronized Stamped await(Predicate<MinerEvent> what, Duration timeout, String description)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (what.test(seen.get(checked).event())) {
                    return seen.get(checked);
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        StringBuilder sb = new StringBuilder("no event within " + timeout.toMillis() + " ms: " + description
                + "; the miner's last events:");
        for (Stamped s : seen.subList(Math.max(0, seen.size() - 15), seen.size())) {
            sb.append("\n    ").append(s.event());
        }
        throw new IllegalStateException(sb.toString());
    }

    /** The first event matching {@code what} so far, or null. */
    synchronized Stamped find(Predicate<MinerEvent> what) {
        for (Stamped s : seen) {
            if (what.test(s.event())) {
                return s;
            }
        }
        return null;
    }

    MinerApp app() {
        return app;
    }
}
