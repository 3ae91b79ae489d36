package io.postfleet.miner.lag;

import java.time.Duration;
import java.util.Locale;

import io.postfleet.cli.DurationConverter;

/**
 * How long a worker may stay silent before it is no longer live: a number of its own heartbeat intervals (which
 * each heartbeat announces), or a fixed duration. Counting intervals, not one interval, keeps a live worker whose
 * heartbeat is a little late from ever being taken for gone; counting the worker's own interval keeps a fleet of
 * mixed settings right.
 *
 * @param intervals heartbeat intervals, used when {@code fixed} is null
 * @param fixed     a fixed silence, or null
 */
public record Silence(int intervals, Duration fixed) {

    /** What a heartbeat without an interval (an older worker) is assumed to be sent at. */
    public static final Duration ASSUMED_INTERVAL = Duration.ofSeconds(5);

    public Silence {
        if (fixed == null && intervals < 2) {
            throw new IllegalArgumentException("at least 2 heartbeat intervals (one late heartbeat is not a loss)");
        }
    }

    public static Silence intervals(int n) {
        return new Silence(n, null);
    }

    public static Silence after(Duration d) {
        return new Silence(0, d);
    }

    /** {@code 3x} (intervals) or a duration ({@code 15s}). */
    public static Silence parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.endsWith("x")) {
            try {
                return intervals(Integer.parseInt(t.substring(0, t.length() - 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is neither Nx (N heartbeat intervals) nor a duration");
            }
        }
        Duration d = DurationConverter.parse(t);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be positive");
        }
        return after(d);
    }

    /** The silence allowed to a worker announcing {@code intervalMillis} (0: unknown). */
    public long limitMillis(long intervalMillis) {
        if (fixed != null) {
            return fixed.toMillis();
        }
        return intervals * (intervalMillis > 0 ? intervalMillis : ASSUMED_INTERVAL.toMillis());
    }

    @Override
    public String toString() {
        return fixed != null ? fixed.toMillis() + "ms" : intervals + "x";
    }
}
