package io.streamcl.serve;

import io.streamcl.serve.DashboardSeries.Figure;
import io.streamcl.topology.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pipeline's meters into the dashboard's {@link DashboardSeries} once a second, on a daemon thread of
 * its own, so that the page sees history even when nobody had it open. What this instance sees: on an instance
 * without a kind's trainer, that kind has no loss, steps or probe figures.
 */
final class PipelineSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineSampler.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    /** Steps/s over the last few seconds: a trainer makes a few steps a second, so one second is too jumpy. */
    private static final long RATE_WINDOW_MILLIS = 5_000;

    private record Count(long timeMillis, long steps) {}

    private final PipelineMetrics metrics;
    private final DashboardSeries series;
    private final List<Deque<Count>> steps = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private boolean failedBefore;

    /** Samples {@code metrics} into {@code series} (whose kinds it reads) from now on. */
    static PipelineSampler start(PipelineMetrics metrics, DashboardSeries series) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        PipelineSampler sampler = new PipelineSampler(metrics, series, timer);
        timer.scheduleAtFixedRate(sampler::sampleSafely, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    PipelineSampler(PipelineMetrics metrics, DashboardSeries series, ScheduledExecutorService timer) {
        this.metrics = metrics;
        this.series = series;
        this.timer = timer;
        for (int k = 0; k < series.kinds().size(); k++) {
            steps.add(new ArrayDeque<>());
        }
    }

    /** A sampling that throws would cancel every later one: it is logged once, and the next one tried. */
    private void sampleSafely() {
        try {
            sample(System.currentTimeMillis());
        } catch (RuntimeException e) {
            if (!failedBefore) {
                LOG.warn("the dashboard could not sample the pipeline's meters; it keeps trying", e);
                failedBefore = true;
            }
        }
    }

    /** Takes one sample, stamped {@code nowMillis}. */
    void sample(long nowMillis) {
        List<String> kinds = series.kinds();
        double[][] byKind = new double[kinds.size()][];
        for (int k = 0; k < kinds.size(); k++) {
            byKind[k] = figures(kinds.get(k), steps.get(k), nowMillis);
        }
        series.add(new DashboardSeries.Sample(nowMillis, metrics.deadLetters(), byKind));
    }

    private double[] figures(String kind, Deque<Count> recentSteps, long nowMillis) {
        double[] f = new double[Figure.values().length];
        long stepCount = metrics.steps(kind);
        f[Figure.ITEMS_IN.ordinal()] = metrics.itemsIn(kind);
        f[Figure.ITEMS_EMBEDDED.ordinal()] = metrics.itemsEmbedded(kind);
        f[Figure.STEPS_PER_SECOND.ordinal()] = stepsPerSecond(recentSteps, new Count(nowMillis, stepCount));
        // the loss gauge reads -0.001 before the first step: no loss yet, not a negative one
        f[Figure.LOSS.ordinal()] = stepCount > 0 ? metrics.loss(kind) : Double.NaN;
        f[Figure.PUBLISHED_VERSION.ordinal()] = versionOrNaN(metrics.publishedVersion(kind));
        // the trainer's instance knows what the gate served; any other, the newest version its embedders loaded
        long served = metrics.servedVersion(kind);
        f[Figure.SERVED_VERSION.ordinal()] = versionOrNaN(served >= 0 ? served : metrics.embeddingVersion(kind));
        PipelineMetrics.Backfill b = metrics.backfill(kind);
        f[Figure.BACKFILL_PERCENT.ordinal()] = b == null || b.total() == 0 ? Double.NaN : 100.0 * b.done() / b.total();
        f[Figure.PROBE_ALIGNMENT.ordinal()] = metrics.probeAlignment(kind);
        f[Figure.PROBE_UNIFORMITY.ordinal()] = metrics.probeUniformity(kind);
        return f;
    }

    /** Steps per second from the oldest count of the window to this one; NaN until there are two. */
    private static double stepsPerSecond(Deque<Count> window, Count now) {
        window.addLast(now);
        while (window.size() > 2 && now.timeMillis() - window.peekFirst().timeMillis() > RATE_WINDOW_MILLIS) {
            window.removeFirst();
        }
        Count first = window.peekFirst();
        long millis = now.timeMillis() - first.timeMillis();
        if (millis <= 0) {
            return Double.NaN;
        }
        return (now.steps() - first.steps()) * 1000.0 / millis;
    }

    private static double versionOrNaN(long version) {
        return version >= 0 ? version : Double.NaN;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
