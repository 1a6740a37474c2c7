package io.streamcl.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.CategoryItemLabelGenerator;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.RangeType;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A picture of a hyperparameter sweep: for each swept parameter (batch size, bank size, temperature,
 * method, ...) what each of its values buys in quality and what it costs in speed, side by side.
 *
 * <p>One panel per parameter, in the order the parameters first appear, {@link #COLUMNS} to a row (one
 * column when there is a single parameter). In a panel the parameter's values run along the x axis in the
 * order given; the kNN accuracy of each value is a bar read on the left axis and its items/s a line read
 * on the right axis, each labelled with its figure. Both axes start at zero, so a bar or a point twice as
 * high is twice as good or twice as fast; the accuracy axis is the whole of 0 to 1 in every panel, so
 * panels compare too, and the printed figures carry the small differences a sweep usually finds. The two
 * measures share a panel because the question a sweep answers is a trade: how much accuracy a value
 * gains, and how much throughput it gives up for it.
 *
 * <p>The image is {@link #WIDTH} pixels wide and {@link #ROW_HEIGHT} pixels high per row of panels
 * ({@link #size(int)}), on a white background.
 */
public final class SweepPlot {

    // First in the class, before the colour and font constants below load AWT: AWT reads the property once,
    // and on a machine without a display a non-headless toolkit fails to start. An explicit
    // -Djava.awt.headless=false is the caller's choice and is left alone.
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Width of the whole image, in pixels. */
    public static final int WIDTH = 1200;

    /** Height of one row of panels, in pixels. */
    public static final int ROW_HEIGHT = 450;

    /** Panels per row when there are at least this many parameters. */
    public static final int COLUMNS = 2;

    /**
     * One value of one swept parameter and what a run with it measured.
     *
     * @param parameter the swept parameter, e.g. "batch size"; a panel per distinct name
     * @param value the value tried, as it should read on the x axis, e.g. "64", "0.1", "moco"
     * @param quality kNN accuracy, 0 to 1
     * @param itemsPerSecond items learned per second, at least 0
     */
    public record Point(String parameter, String value, double quality, double itemsPerSecond) {}

    private static final String QUALITY = "kNN accuracy";
    private static final String SPEED = "items/s";
    // pale bars under dark figures: a figure stays readable inside a bar and above one too short to hold it
    private static final Color QUALITY_COLOUR = new Color(0xA6, 0xC4, 0xE6);
    private static final Color QUALITY_TEXT = new Color(0x1F, 0x3B, 0x5C);
    private static final Color SPEED_COLOUR = new Color(0xDD, 0x84, 0x52);
    private static final Color GRID_COLOUR = new Color(0xD0, 0xD0, 0xD0);
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font ITEM_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private SweepPlot() {}

    /**
     * The size of the image for {@code parameters} panels: {@link #WIDTH} wide, {@link #ROW_HEIGHT} per
     * row of up to {@link #COLUMNS} panels.
     *
     * @return {width, height} in pixels
     */
    public static int[] size(int parameters) {
        if (parameters < 1) {
            throw new IllegalArgumentException("a sweep plot needs at least one parameter, got " + parameters);
        }
        int columns = columns(parameters);
        int rows = (parameters + columns - 1) / columns;
        return new int[] {WIDTH, rows * ROW_HEIGHT};
    }

    /**
     * Draws the sweep into one PNG file, replacing it if it exists. Needs no display: unless the JVM was
     * started with {@code java.awt.headless} set, this class sets it to true before it touches AWT.
     *
     * @throws IllegalArgumentException if there are no points, a name or value is blank, a figure is not a
     *     finite number in range, or a parameter has the same value twice
     */
    public static void write(List<Point> points, Path png) throws IOException {
        Map<String, List<Point>> byParameter = validate(points);
        int[] size = size(byParameter.size());
        int columns = columns(byParameter.size());
        int panelWidth = WIDTH / columns;
        BufferedImage image = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size[0], size[1]);
            int i = 0;
            for (Map.Entry<String, List<Point>> e : byParameter.entrySet()) {
                int x = (i % columns) * panelWidth;
                int y = (i / columns) * ROW_HEIGHT;
                chart(e.getKey(), e.getValue()).draw(g, new Rectangle2D.Double(x, y, panelWidth, ROW_HEIGHT));
                i++;
            }
        } finally {
            g.dispose();
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        }
    }

    private static int columns(int parameters) {
        return Math.min(COLUMNS, parameters);
    }

    /** The points grouped by parameter, in order of first appearance, or why they cannot be drawn. */
    private static Map<String, List<Point>> validate(List<Point> points) {
        if (points == null || points.isEmpty()) {
            throw new IllegalArgumentException("a sweep plot needs at least one point");
        }
        Map<String, List<Point>> byParameter = new LinkedHashMap<>();
        Set<List<String>> seen = new HashSet<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (p == null) {
                throw new IllegalArgumentException("sweep point " + i + " is null");
            }
            String where = "sweep point " + i + " (" + p.parameter() + " = " + p.value() + ")";
            if (p.parameter() == null || p.parameter().isBlank()) {
                throw new IllegalArgumentException(where + ": the parameter name is blank");
            }
            if (p.value() == null || p.value().isBlank()) {
                throw new IllegalArgumentException(where + ": the value is blank");
            }
            if (!(p.quality() >= 0 && p.quality() <= 1)) { // also false for NaN
                throw new IllegalArgumentException(where + ": quality must be a kNN accuracy in [0, 1], got "
                        + p.quality());
            }
            if (!(p.itemsPerSecond() >= 0 && p.itemsPerSecond() < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(where + ": items/s must be finite and >= 0, got "
                        + p.itemsPerSecond());
            }
            // the chart's dataset keys on the value: a repeat would silently replace the earlier figures
            if (!seen.add(List.of(p.parameter(), p.value()))) {
                throw new IllegalArgumentException(where + ": the value appears twice for " + p.parameter()
                        + "; pass one point per value (e.g. the median of the repeats)");
            }
            byParameter.computeIfAbsent(p.parameter(), k -> new ArrayList<>()).add(p);
        }
        return byParameter;
    }

    private static JFreeChart chart(String parameter, List<Point> points) {
        DefaultCategoryDataset quality = new DefaultCategoryDataset();
        DefaultCategoryDataset speed = new DefaultCategoryDataset();
        for (Point p : points) {
            quality.addValue(p.quality(), QUALITY, p.value());
            speed.addValue(p.itemsPerSecond(), SPEED, p.value());
        }

        CategoryAxis x = new CategoryAxis(parameter);
        x.setLabelFont(LABEL_FONT);
        x.setTickLabelFont(TICK_FONT);
        x.setMaximumCategoryLabelLines(3);
        x.setCategoryMargin(0.25);

        NumberAxis left = new NumberAxis(QUALITY);
        left.setLabelFont(LABEL_FONT);
        left.setLabelPaint(QUALITY_TEXT);
        left.setTickLabelFont(TICK_FONT);
        // the whole of [0, 1], the same in every panel, so that panels compare at a glance
        left.setRange(0, 1);
        left.setTickUnit(new NumberTickUnit(0.1, format("0.0")));

        NumberAxis right = new NumberAxis(SPEED);
        right.setLabelFont(LABEL_FONT);
        right.setLabelPaint(SPEED_COLOUR);
        right.setTickLabelFont(TICK_FONT);
        right.setAutoRangeIncludesZero(true);
        // equal speeds everywhere (all 0, say) would otherwise give a range of nothing, centred on zero
        right.setRangeType(RangeType.POSITIVE);
        right.setAutoRangeMinimumSize(1);
        right.setUpperMargin(0.15); // room for the figure above the highest point
        right.setStandardTickUnits(NumberAxis.createStandardTickUnits(Locale.ROOT));

        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter()); // flat: the default gradient and shadow read as data
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, QUALITY_COLOUR);
        bars.setMaximumBarWidth(0.12);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", format("0.000")));
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(ITEM_FONT.deriveFont(Font.BOLD));
        bars.setDefaultItemLabelPaint(QUALITY_TEXT);
        // at the foot of the bar: the items/s line crosses the bar tops, and seldom comes down this far
        bars.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.INSIDE6, TextAnchor.BOTTOM_CENTER));
        bars.setPositiveItemLabelPositionFallback(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));

        LineAndShapeRenderer line = new BoxedLabels();
        line.setSeriesPaint(0, SPEED_COLOUR);
        line.setSeriesStroke(0, new BasicStroke(2.5f));
        // whole items/s at any real speed; below 100 (a large model on a CPU) the fraction still tells values apart
        double fastest = points.stream().mapToDouble(Point::itemsPerSecond).max().orElse(0);
        line.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
                format(fastest >= 100 ? "#,##0" : "#,##0.##")));
        line.setDefaultItemLabelsVisible(true);
        line.setDefaultItemLabelFont(ITEM_FONT);
        line.setDefaultItemLabelPaint(SPEED_COLOUR.darker());
        line.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
        line.setItemLabelInsets(new RectangleInsets(6, 6, 6, 6));

        CategoryPlot plot = new CategoryPlot(quality, x, left, bars);
        plot.setDataset(1, speed);
        plot.setRangeAxis(1, right);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, line);
        plot.setRangeAxisLocation(0, AxisLocation.BOTTOM_OR_LEFT);
        plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
        // the line over the bars: drawn first it would hide behind them
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID_COLOUR);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);

        JFreeChart chart = new JFreeChart(plot);
        chart.setTitle(new TextTitle("kNN accuracy and items/s by " + parameter, TITLE_FONT));
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(10, 10, 10, 10));
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(LABEL_FONT);
        legend.setFrame(BlockBorder.NONE);
        return chart;
    }

    /**
     * A line whose figures sit on a white box, as the line runs over the bars and their grid, and are kept
     * clear of the accuracy figures at the foot of the bars.
     */
    private static final class BoxedLabels extends LineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private static final Color BOX = new Color(255, 255, 255, 230);
        /** Pixels above the plot's floor kept for the accuracy figures. */
        private static final double FOOT = 26;

        private transient Rectangle2D dataArea;

        BoxedLabels() {
            super(true, true);
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                int pass) {
            this.dataArea = dataArea; // drawItemLabel is not given it
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
        }

        @Override
        protected void drawItemLabel(Graphics2D g2, PlotOrientation orientation, CategoryDataset dataset, int row,
                int column, double x, double y, boolean negative) {
            if (dataArea != null) {
                y = Math.min(y, dataArea.getMaxY() - FOOT);
            }
            CategoryItemLabelGenerator generator = getItemLabelGenerator(row, column);
            if (generator != null) {
                String label = generator.generateLabel(dataset, row, column);
                ItemLabelPosition position = negative ? getNegativeItemLabelPosition(row, column)
                        : getPositiveItemLabelPosition(row, column);
                Point2D anchor = calculateLabelAnchorPoint(position.getItemLabelAnchor(), x, y, orientation);
                g2.setFont(getItemLabelFont(row, column));
                Rectangle2D text = TextUtils.calcAlignedStringBounds(label, g2, (float) anchor.getX(),
                        (float) anchor.getY(), position.getTextAnchor());
                g2.setPaint(BOX);
                g2.fill(new RoundRectangle2D.Double(text.getX() - 4, text.getY() - 2, text.getWidth() + 8,
                        text.getHeight() + 4, 6, 6));
            }
            super.drawItemLabel(g2, orientation, dataset, row, column, x, y, negative);
        }
    }

    /** A format that reads the same whatever the machine's locale. */
    private static DecimalFormat format(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }
}
