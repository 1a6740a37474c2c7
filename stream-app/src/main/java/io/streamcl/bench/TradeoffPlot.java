package io.streamcl.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The sweep as one trade-off: every variant a point at its items/s (x) and its quality (y), labelled with
 * what it changed, and the frontier through the variants no other beats on both (faster and better), so a
 * user can pick the point of the curve their stream can afford. {@link SweepPlot} shows the same points
 * setting by setting.
 */
public final class TradeoffPlot {
    static {
        if (System.getProperty("java.awt.headless") == null) { // as SweepPlot: no display needed
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int WIDTH = 1200;
    public static final int HEIGHT = 700;

    /** One variant: its label (e.g. "temperature=0.1"), quality (0 to 1) and items/s. */
    public record Point(String label, double quality, double itemsPerSecond) {}

    private TradeoffPlot() {}

    /** The variants no other is at least as fast and strictly better than (or as good and faster), by speed. */
    public static List<Point> frontier(List<Point> points) {
        List<Point> byRate = new ArrayList<>(points);
        byRate.sort(Comparator.comparingDouble(Point::itemsPerSecond).reversed()
                .thenComparing(Comparator.comparingDouble(Point::quality).reversed()));
        List<Point> out = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (Point p : byRate) { // from the fastest down: a point is on it when it beats every faster one
            if (p.quality() > best) {
                out.add(p);
                best = p.quality();
            }
        }
        return out;
    }

    /** Writes the plot as a PNG, replacing the file; {@code quality} names the y axis (e.g. "kNN accuracy, clean"). */
    public static void write(List<Point> points, String quality, Path png) throws IOException {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a trade-off plot needs at least one point");
        }
        for (Point p : points) {
            if (!(p.quality() >= 0 && p.quality() <= 1 && p.itemsPerSecond() >= 0
                    && Double.isFinite(p.itemsPerSecond()))) {
                throw new IllegalArgumentException("quality must be in [0, 1] and items/s finite and >= 0: " + p);
            }
        }
        XYSeries all = new XYSeries("variant", false, true);
        XYSeries best = new XYSeries("frontier: nothing is both faster and better", false, true);
        points.forEach(p -> all.add(p.itemsPerSecond(), p.quality()));
        frontier(points).forEach(p -> best.add(p.itemsPerSecond(), p.quality()));
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(all);
        data.addSeries(best);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesLinesVisible(0, false);
        renderer.setSeriesPaint(0, new Color(0x4C, 0x72, 0xB0));
        renderer.setSeriesShapesVisible(1, false);
        renderer.setSeriesPaint(1, new Color(0xDD, 0x84, 0x52));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        NumberAxis x = new NumberAxis("items learned per second (sustained)");
        NumberAxis y = new NumberAxis(quality);
        y.setAutoRangeIncludesZero(false);
        x.setAutoRangeIncludesZero(true);
        x.setUpperMargin(0.3); // room for the labels, which start at their point and run right
        y.setUpperMargin(0.08);
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xD0, 0xD0, 0xD0));
        plot.setRangeGridlinePaint(new Color(0xD0, 0xD0, 0xD0));
        Font labels = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        for (Point p : points) {
            XYTextAnnotation a = new XYTextAnnotation(" " + p.label(), p.itemsPerSecond(), p.quality());
            a.setFont(labels);
            a.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(a);
        }
        JFreeChart chart = new JFreeChart("Quality against speed, one point per sweep variant",
                new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
