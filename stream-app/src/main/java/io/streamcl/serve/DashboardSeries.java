package io.streamcl.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's time series: samples of the pipeline's figures, kept in a ring of the newest {@code capacity}
 * of them, so that memory stays the same however long the app runs. It answers in the columnar shape uPlot
 * draws: one array of times, and one array per figure, with null where a figure had no value yet. The sampler's
 * thread writes it and HTTP threads read it.
 */
final class DashboardSeries {
    /** Ten minutes at one sample a second. */
    static final int DEFAULT_CAPACITY = 600;

    /** A figure the dashboard draws for each kind, under its JSON name. */
    enum Figure {
        ITEMS_IN("itemsIn"),
        ITEMS_EMBEDDED("itemsEmbedded"),
        STEPS_PER_SECOND("stepsPerSecond"),
        LOSS("loss"),
        PUBLISHED_VERSION("publishedVersion"),
        SERVED_VERSION("servedVersion"),
        BACKFILL_PERCENT("backfillPercent"),
        PROBE_ALIGNMENT("probeAlignment"),
        PROBE_UNIFORMITY("probeUniformity");

        final String json;

        Figure(String json) {
            this.json = json;
        }
    }

    /**
     * One sample.
     *
     * @param byKind for each kind of the series, in its order, the value of each {@link Figure} in its order;
     *               NaN where there is none
     */
    record Sample(long timeMillis, double deadLetters, double[][] byKind) {}

    private final int capacity;
    private final List<String> kinds;
    private final long[] times;
    private final double[] deadLetters;
    /** [kind][figure][slot] */
    private final double[][][] values;
    private int next;
    private int size;

    DashboardSeries(List<String> kinds, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a series keeps at least one sample, not " + capacity);
        }
        this.capacity = capacity;
        this.kinds = List.copyOf(kinds);
        this.times = new long[capacity];
        this.deadLetters = new double[capacity];
        this.values = new double[this.kinds.size()][Figure.values().length][capacity];
    }

    List<String> kinds() {
        return kinds;
    }

    /** Adds a sample, in the oldest one's place once the ring is full. */
    synchronized void add(Sample s) {
        if (s.byKind().length != kinds.size()) {
            throw new IllegalArgumentException(s.byKind().length + " kinds sampled, the series has " + kinds.size());
        }
        times[next] = s.timeMillis();
        deadLetters[next] = s.deadLetters();
        for (int k = 0; k < kinds.size(); k++) {
            for (int f = 0; f < values[k].length; f++) {
                values[k][f][next] = s.byKind()[k][f];
            }
        }
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    synchronized int size() {
        return size;
    }

    /**
     * {@code {"capacity", "time": [epoch ms...], "deadLetters": [...], "kinds": {kind: {figure: [...]}}}},
     * oldest first.
     */
    synchronized Map<String, Object> toJson() {
        List<Long> time = new ArrayList<>(size);
        List<Double> dead = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            time.add(times[slot(i)]);
            dead.add(orNull(deadLetters[slot(i)]));
        }
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (int k = 0; k < kinds.size(); k++) {
            Map<String, Object> figures = new LinkedHashMap<>();
            for (Figure f : Figure.values()) {
                List<Double> column = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    column.add(orNull(values[k][f.ordinal()][slot(i)]));
                }
                figures.put(f.json, column);
            }
            byKind.put(kinds.get(k), figures);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("capacity", capacity);
        json.put("time", time);
        json.put("deadLetters", dead);
        json.put("kinds", byKind);
        return json;
    }

    /** The ring's slot of the i-th oldest sample. */
    private int slot(int i) {
        return (next - size + i + capacity) % capacity;
    }

    /** JSON has no NaN: a figure with no value yet is null, which uPlot draws as a gap. */
    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
