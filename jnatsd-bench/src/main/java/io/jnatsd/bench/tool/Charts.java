package io.jnatsd.bench.tool;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * PNG line charts of the medians (JFreeChart, headless): throughput against payload size ({@code payload}), against
 * subscriber count ({@code fanout}) and against the number of subscriptions ({@code subs}). A chart is written only
 * when its scenario ran. Stateless.
 */
final class Charts {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    /** One colour per server (jnatsd first), so that its series read as a family. */
    private static final Color[] SERVER_COLORS = {new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C),
        new Color(0x9467BD)};
    /** One dash pattern per series of the same server (payload size, wildcard share). */
    private static final float[][] DASHES = {null, {8f, 4f}, {2f, 3f}, {12f, 3f, 2f, 3f}};

    private Charts() {
    }

    /** Writes the charts into {@code dir}; returns the files written. */
    static List<Path> write(Results results, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        chart(results, dir, written, "throughput-vs-payload.png", "payload", "msgs/s",
                "1:1 throughput by payload size", "payload", "messages / s",
                c -> param(c, "size"), c -> "", x -> Format.bytes(x));
        chart(results, dir, written, "throughput-vs-payload-mbps.png", "payload", "MB/s",
                "1:1 throughput by payload size", "payload", "MB / s (payload bytes)",
                c -> param(c, "size"), c -> "", x -> Format.bytes(x));
        chart(results, dir, written, "throughput-vs-subscribers.png", "fanout", "msgs/s",
                "fan-out: messages delivered by subscriber count", "subscribers", "messages delivered / s",
                c -> param(c, "subscribers"), c -> " " + Format.bytes(param(c, "size")), x -> Long.toString(x));
        chart(results, dir, written, "throughput-vs-subscriptions.png", "subs", "msgs/s",
                "throughput by number of subscriptions (random subjects)", "subscriptions", "messages / s",
                c -> param(c, "subscriptions"), c -> " wild=" + param(c, "wildcardPct") + "%",
                x -> Format.count(x));
        return written;
    }

    private static long param(BenchCase c, String name) {
        return ((Number) c.params().get(name)).longValue();
    }

    private static void chart(Results results, Path dir, List<Path> written, String file, String scenario,
            String metric, String title, String xLabel, String yLabel, Function<BenchCase, Long> x,
            Function<BenchCase, String> seriesSuffix, Function<Long, String> xText) throws IOException {
        // series -> x -> median, sorted by x
        Map<String, TreeMap<Long, Double>> series = new TreeMap<>(Comparator.naturalOrder());
        List<String> order = new ArrayList<>();
        Map<String, Integer> serverOf = new TreeMap<>();
        for (Results.Row row : results.rows()) {
            BenchCase c = row.benchCase();
            if (!c.scenario().equals(scenario) || !row.metric().name().equals(metric)) {
                continue;
            }
            for (String server : results.servers()) {
                Double v = row.medians().get(server);
                if (v == null || v.isNaN()) {
                    continue;
                }
                String name = server + seriesSuffix.apply(c);
                if (!order.contains(name)) {
                    order.add(name);
                    serverOf.put(name, results.servers().indexOf(server));
                }
                series.computeIfAbsent(name, k -> new TreeMap<>()).put(x.apply(c), v);
            }
        }
        if (series.isEmpty()) {
            return;
        }
        TreeMap<Long, String> categories = new TreeMap<>();
        series.values().forEach(s -> s.keySet().forEach(k -> categories.put(k, xText.apply(k))));
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (String name : order) {
            for (Map.Entry<Long, String> cat : categories.entrySet()) {
                Double v = series.get(name).get(cat.getKey());
                data.addValue(v, name, cat.getValue());
            }
        }
        JFreeChart chart = ChartFactory.createLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        LineAndShapeRenderer renderer = (LineAndShapeRenderer) plot.getRenderer();
        renderer.setDefaultShapesVisible(true);
        int[] perServer = new int[results.servers().size()];
        for (int i = 0; i < order.size(); i++) {
            int server = serverOf.get(order.get(i));
            int k = perServer[server]++;
            float[] dash = DASHES[k % DASHES.length];
            renderer.setSeriesPaint(i, SERVER_COLORS[server % SERVER_COLORS.length]);
            renderer.setSeriesStroke(i, dash == null ? new BasicStroke(2f)
                    : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dash, 0f));
        }
        Path out = dir.resolve(file);
        ChartUtils.saveChartAsPNG(out.toFile(), chart, WIDTH, HEIGHT);
        written.add(out);
    }
}
