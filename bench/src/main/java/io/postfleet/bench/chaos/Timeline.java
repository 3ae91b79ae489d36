package io.postfleet.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chaos run at a glance: time on one axis, deadlines on the other; each partition's proving span (from the
 * prover's start to the accepted proof) a bar coloured by who proved it; every injected fault a labelled line.
 */
final class Timeline {

    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0x17becf), new Color(0xbcbd22), new Color(0x7f7f7f)};

    private Timeline() {
    }

    static void draw(List<JsonNode> events, List<ChaosRun.Injected> faults, Instant began, Path png)
            throws IOException {
        Map<String, Instant> started = new HashMap<>();
        Map<String, XYSeries> byProver = new LinkedHashMap<>();
        XYSeriesCollection data = new XYSeriesCollection();
        int segment = 0;
        for (JsonNode e : events) {
            if (e.path("deadline").isNull() || e.path("task_id").isNull()) {
                continue;
            }
            String task = e.path("task_id").asText();
            Instant ts = Instant.parse(e.path("ts").asText());
            switch (e.path("type").asText()) {
                case "started" -> started.put(task + "|" + e.path("worker").asText(), ts);
                case "accepted" -> {
                    String prover = e.path("worker").asText();
                    Instant from = started.getOrDefault(task + "|" + prover, ts);
                    double y = e.path("deadline").asInt() + 0.3 * e.path("partition").asInt(0);
                    // one series per span so spans are not joined; the prover's colour is set per series below
                    XYSeries s = new XYSeries(prover + "#" + segment++, false);
                    s.add(seconds(began, from), y);
                    s.add(seconds(began, ts), y);
                    data.addSeries(s);
                    byProver.putIfAbsent(prover, s);
                }
                default -> { }
            }
        }
        NumberAxis time = new NumberAxis("seconds since the run began");
        NumberAxis deadline = new NumberAxis("deadline (+0.3 per partition)");
        deadline.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        Map<String, Color> colour = new LinkedHashMap<>();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String prover = data.getSeriesKey(i).toString().replaceAll("#\\d+$", "");
            Color c = colour.computeIfAbsent(prover, p -> p.equals("miner-local") ? new Color(0xd62728)
                    : COLOURS[colour.size() % COLOURS.length]);
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(5f));
            renderer.setSeriesVisibleInLegend(i, byProver.get(prover) != null
                    && byProver.get(prover).getKey().equals(data.getSeriesKey(i)));
        }
        XYPlot plot = new XYPlot(data, time, deadline, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        for (ChaosRun.Injected f : faults) {
            ValueMarker m = new ValueMarker(seconds(began, f.at()), new Color(0xff7f0e),
                    new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 3f}, 0f));
            m.setLabel(f.fault().label());
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(m);
        }
        // the legend names provers, not spans
        org.jfree.chart.LegendItemCollection legend = new org.jfree.chart.LegendItemCollection();
        for (Map.Entry<String, Color> c : colour.entrySet()) {
            legend.add(new org.jfree.chart.LegendItem(c.getKey(), c.getValue()));
        }
        legend.add(new org.jfree.chart.LegendItem("fault injected", new Color(0xff7f0e)));
        plot.setFixedLegendItems(legend);
        JFreeChart chart = new JFreeChart("postfleet chaos run: proving spans by prover, faults marked",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1600, 900);
    }

    private static double seconds(Instant began, Instant at) {
        return Duration.between(began, at).toMillis() / 1000.0;
    }
}
