package io.postfleet.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Timings of one measurement in milliseconds, summarised by nearest-rank percentiles (p99 of 200 values is the
 * 198th smallest: two outliers may exceed it, a third may not).
 */
public final class Sample {

    private final String name;
    private final List<Double> values = new ArrayList<>();

    public Sample(String name) {
        this.name = name;
    }

    public void add(double ms) {
        values.add(ms);
    }

    public int size() {
        return values.size();
    }

    public String name() {
        return name;
    }

    /** The nearest-rank {@code p}-th percentile (0 &lt; p &lt;= 100): the smallest value with p% of the values at or below it. */
    public double percentile(double p) {
        if (values.isEmpty()) {
            throw new IllegalStateException("no values in " + name);
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        double[] sorted = sorted();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        double[] s = sorted();
        return s[s.length - 1];
    }

    public double mean() {
        return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private double[] sorted() {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return s;
    }

    /** The table header matching {@link #row()}. */
    public static String header() {
        return String.format(Locale.ROOT, "  %-46s %5s %9s %9s %9s %9s %9s", "measurement (ms)", "n", "p50", "p99",
                "min", "max", "mean");
    }

    /** One table line: name, n, p50, p99, min, max, mean. */
    public String row() {
        if (values.isEmpty()) {
            return String.format(Locale.ROOT, "  %-46s %5d %9s", name, 0, "(no values)");
        }
        return String.format(Locale.ROOT, "  %-46s %5d %9.1f %9.1f %9.1f %9.1f %9.1f", name, values.size(),
                percentile(50), percentile(99), min(), max(), mean());
    }
}
