package io.streamcl.cli;

import io.streamcl.topology.PipelineMetrics;
import java.util.List;

/** One human line of how the pipeline is doing, per kind. */
final class Progress {
    private final PipelineMetrics metrics;
    private final List<String> kinds;
    private final long startNanos = System.nanoTime();
    private final java.util.Map<String, Long> lastSteps = new java.util.HashMap<>();
    private long lastNanos = startNanos;

    Progress(PipelineMetrics metrics, List<String> kinds) {
        this.metrics = metrics;
        this.kinds = kinds;
    }

    String line() {
        long now = System.nanoTime();
        double seconds = (now - lastNanos) / 1e9;
        lastNanos = now;
        StringBuilder b = new StringBuilder(String.format("[%5.0fs]", (now - startNanos) / 1e9));
        for (String kind : kinds) {
            long steps = metrics.steps(kind);
            double rate = (steps - lastSteps.getOrDefault(kind, 0L)) / seconds;
            lastSteps.put(kind, steps);
            long items = metrics.itemsEmbedded(kind);
            long vectors = metrics.embeddingsOut(kind);
            float loss = metrics.loss(kind);
            b.append(String.format(" %s: in %d | embedded %d%s | steps %d (%.1f/s) | loss %s | model v%d (serving v%d)",
                    kind, metrics.itemsIn(kind), items, vectors == items ? "" : " (" + vectors + " vectors)", steps, rate,
                    steps == 0 ? "-" : String.format("%.3f", loss),
                    Math.max(0, metrics.publishedVersion(kind)), Math.max(0, metrics.embeddingVersion(kind))));
            PipelineMetrics.Backfill backfill = metrics.backfill(kind);
            if (backfill != null && backfill.done() < backfill.total()) {
                b.append(String.format(" | backfill to v%d: %,d of %,d", backfill.version(), backfill.done(),
                        backfill.total()));
            }
        }
        for (String kind : kinds) {
            if (metrics.swaps(kind) > 0) {
                b.append(String.format(" | %s model swaps %d, p50 %.0f ms, p99 %.0f ms after publication", kind,
                        metrics.swaps(kind), metrics.swapLatencyMillis(kind, 0.5), metrics.swapLatencyMillis(kind, 0.99)));
            }
        }
        b.append(" | dead letters ").append(metrics.deadLetters());
        long dropped = kinds.stream().mapToLong(metrics::usesDropped).sum();
        if (dropped > 0) {
            b.append(" | training uses dropped ").append(dropped)
                    .append(" (the trainer samples: it cannot keep up with the stream; see each snapshot's uses_kept_fraction)");
        }
        return b.toString();
    }
}
