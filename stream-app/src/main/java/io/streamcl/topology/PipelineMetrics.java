package io.streamcl.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamcl.learn.StepResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The pipeline's counters and gauges (Micrometer), per kind: what went in, what came out, what was
 * rejected and why, and how training goes. Processors on any stream thread update them.
 */
public final class PipelineMetrics {
    /** The phases of a training step, as {@link #stepPhases} records them. */
    public static final java.util.List<String> STEP_PHASES = java.util.List.of("augment", "forward", "backward",
            "optimizer", "ema", "bank");

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> phases = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> taskGauges = new ConcurrentHashMap<>();
    /**
     * Not a meter: a bounded sample of the published vectors, kept here because this is the one object every
     * embed task and the server already share.
     */
    private final RecentEmbeddings recentEmbeddings = new RecentEmbeddings(RecentEmbeddings.DEFAULT_PER_KIND);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public PipelineMetrics() {
        this(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The newest items' embeddings, per embedding kind, with their labels: what the dashboard projects. */
    public RecentEmbeddings recentEmbeddings() {
        return recentEmbeddings;
    }

    public void itemIn(String kind) {
        counter("streamcl.items.in", "kind", kind).increment();
    }

    public void deadLetter(String stage) {
        counter("streamcl.dead.letters", "stage", stage).increment();
    }

    /** Vectors published, and the input items they came from (an event gives its item and its user). */
    public void embeddingsOut(String kind, int vectors, int items) {
        counter("streamcl.embeddings.out", "kind", kind).increment(vectors);
        counter("streamcl.items.embedded", "kind", kind).increment(items);
    }

    /** An item too late (out of order beyond the tolerance) to change its entity's history; still embedded. */
    public void lateItem(String kind) {
        counter("streamcl.items.late", "kind", kind).increment();
    }

    public void trainedStep(String kind, float loss, int batch) {
        counter("streamcl.train.steps", "kind", kind).increment();
        counter("streamcl.train.pairs", "kind", kind).increment(batch);
        gauge("streamcl.train.loss.milli", kind).set(Math.round(loss * 1000.0));
    }

    /** Where a step's time went (ms): augment, forward, backward, optimizer, ema, bank. */
    public void stepPhases(String kind, StepResult.Phases p) {
        double[] ms = {p.augment(), p.forward(), p.backward(), p.optimizer(), p.ema(), p.bank()};
        for (int i = 0; i < ms.length; i++) {
            phase(kind, STEP_PHASES.get(i)).record(ms[i]);
        }
    }

    /** The mean ms per step of a phase of {@link #STEP_PHASES} since the start; NaN before the first step. */
    public double meanPhaseMillis(String kind, String phase) {
        DistributionSummary d = phase(kind, phase);
        return d.count() == 0 ? Double.NaN : d.mean();
    }

    private DistributionSummary phase(String kind, String phase) { // once per phase and kind, not per step
        return phases.computeIfAbsent(kind + '|' + phase, k -> DistributionSummary.builder("streamcl.train.step.phase")
                .baseUnit("milliseconds").tag("kind", kind).tag("phase", phase).register(registry));
    }

    public void itemTrained(String kind) {
        counter("streamcl.train.items", "kind", kind).increment();
    }

    /**
     * A snapshot's label-free figures on the trainer's probe (Wang &amp; Isola 2020; see {@code ProbeFigures}):
     * alignment and uniformity (lower is better) and positive-pair top-1, the gate's inputs.
     */
    public void probeFigures(String kind, double alignment, double uniformity, double top1) {
        doubleGauge("streamcl.probe.alignment", kind).set(Double.doubleToLongBits(alignment));
        doubleGauge("streamcl.probe.uniformity", kind).set(Double.doubleToLongBits(uniformity));
        doubleGauge("streamcl.probe.top1", kind).set(Double.doubleToLongBits(top1));
    }

    /** The newest probe alignment of a kind's snapshots; NaN before the first. */
    public double probeAlignment(String kind) {
        return Double.longBitsToDouble(doubleGauge("streamcl.probe.alignment", kind).get());
    }

    /** The newest probe uniformity of a kind's snapshots; NaN before the first. */
    public double probeUniformity(String kind) {
        return Double.longBitsToDouble(doubleGauge("streamcl.probe.uniformity", kind).get());
    }

    public void modelPublished(String kind, long version, long step) {
        gauge("streamcl.model.published.version", kind).set(version);
        gauge("streamcl.model.published.step", kind).set(step);
    }

    public void modelInUse(String kind, long version) {
        gauge("streamcl.model.embedding.version", kind).accumulateAndGet(version, Math::max);
    }

    /**
     * An embedder swapped to a new snapshot this long after the trainer published it (both clocks are
     * wall clocks: across machines their skew adds in).
     */
    public void modelSwapped(String kind, long millisSincePublished) {
        swapLatency(kind).record(Math.max(0, millisSincePublished));
    }

    /** Percentile {@code p} of the swap latency in ms over the last hour, or NaN before the first swap. */
    public double swapLatencyMillis(String kind, double p) {
        for (ValueAtPercentile v : swapLatency(kind).takeSnapshot().percentileValues()) {
            if (v.percentile() == p) {
                return swapLatency(kind).count() == 0 ? Double.NaN : v.value();
            }
        }
        throw new IllegalArgumentException("swap latency keeps the 0.5 and 0.99 percentiles, not " + p);
    }

    public long swaps(String kind) {
        return swapLatency(kind).count();
    }

    private DistributionSummary swapLatency(String kind) {
        return DistributionSummary.builder("streamcl.model.swap.latency").baseUnit("milliseconds").tag("kind", kind)
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofHours(1))
                .distributionStatisticBufferLength(1).register(registry);
    }

    /** Catalogue entries evicted (over the size or age limit): they are no longer re-embedded. */
    public void catalogueEvicted(int n) {
        counter("streamcl.catalogue.evicted", "reason", "limit").increment(n);
    }

    public long catalogueEvicted() {
        return count("streamcl.catalogue.evicted", "reason", "limit");
    }

    /** One embed task's catalogue size; {@code task} is {@code <kind>/<task id>}. */
    public void catalogueSize(String task, long entries) {
        taskGauge("streamcl.catalogue.size", task).set(entries);
    }

    /** One embed task's backfill: entries done of its catalogue under the version. */
    public void backfill(String task, long version, long done, long total) {
        taskGauge("streamcl.backfill.version", task).set(version);
        taskGauge("streamcl.backfill.done", task).set(Math.min(done, total));
        taskGauge("streamcl.backfill.entries", task).set(total);
    }

    /** Entries re-embedded by backfills. */
    public void backfilled(String kind, int n) {
        counter("streamcl.embeddings.backfilled", "kind", kind).increment(n);
    }

    public long backfilled(String kind) {
        return count("streamcl.embeddings.backfilled", "kind", kind);
    }

    /**
     * A kind's backfill over this process's tasks: the lowest version being backfilled, and entries done
     * and held; null when no task of this process has backfilled the kind.
     */
    public Backfill backfill(String kind) {
        long version = Long.MAX_VALUE;
        long done = 0;
        long total = 0;
        for (Map.Entry<String, AtomicLong> e : taskGauges.entrySet()) {
            String[] parts = e.getKey().split("\\|", 2); // name|kind/task
            if (!parts[1].startsWith(kind + "/")) {
                continue;
            }
            switch (parts[0]) {
                case "streamcl.backfill.version" -> version = Math.min(version, e.getValue().get());
                case "streamcl.backfill.done" -> done += e.getValue().get();
                case "streamcl.backfill.entries" -> total += e.getValue().get();
                default -> { }
            }
        }
        return version == Long.MAX_VALUE ? null : new Backfill(version, done, total);
    }

    /** A backfill's progress. */
    public record Backfill(long version, long done, long total) {}

    /** The version a kind's embedders serve, as its trainer last promoted or saw pinned. */
    public void modelServed(String kind, long version) {
        gauge("streamcl.model.served.version", kind).set(version);
    }

    public long servedVersion(String kind) {
        return gauge("streamcl.model.served.version", kind).get();
    }

    /** A snapshot the promotion gate refused. */
    public void promotionRefused(String kind) {
        counter("streamcl.model.refused", "kind", kind).increment();
    }

    public long promotionsRefused(String kind) {
        return count("streamcl.model.refused", "kind", kind);
    }

    /** A stream thread died of an error and was replaced: never expected, always worth a look. */
    public void threadReplaced() {
        counter("streamcl.stream.threads.replaced", "reason", "error").increment();
    }

    public long threadsReplaced() {
        return count("streamcl.stream.threads.replaced", "reason", "error");
    }

    /** Records deleted from an input topic before the app read them (retention), per topic. */
    public void inputGap(String topic, long records) {
        counter("streamcl.input.gap.records", "topic", topic).increment(records);
    }

    public long inputGaps(String topic) {
        return count("streamcl.input.gap.records", "topic", topic);
    }

    /** A record of one of the app's own topics (models, train, status…) that does not decode: skipped. */
    public void undecodable(String topic) {
        counter("streamcl.input.undecodable", "topic", topic).increment();
    }

    public long undecodableRecords(String topic) {
        return count("streamcl.input.undecodable", "topic", topic);
    }

    /** A snapshot on the models topic that an embedder or trainer cannot use: skipped, the old one kept. */
    public void snapshotRejected(String kind) {
        counter("streamcl.model.rejected", "kind", kind).increment();
    }

    public long snapshotsRejected(String kind) {
        return count("streamcl.model.rejected", "kind", kind);
    }

    /** A training step discarded for a non-finite loss, gradient or parameters. */
    public void stepDiscarded(String kind) {
        counter("streamcl.train.steps.discarded", "kind", kind).increment();
    }

    public long stepsDiscarded(String kind) {
        return count("streamcl.train.steps.discarded", "kind", kind);
    }

    /** The trainer went back to its last checkpoint after diverging. */
    public void trainerRestored(String kind) {
        counter("streamcl.train.restored", "kind", kind).increment();
    }

    public long trainerRestores(String kind) {
        return count("streamcl.train.restored", "kind", kind);
    }

    /** Items a restarted trainer was given again because its restored state had not finished learning them. */
    public void itemsOfferedAgain(String kind, long items) {
        counter("streamcl.train.items.offered.again", "kind", kind).increment(items);
    }

    public long itemsOfferedAgain(String kind) {
        return count("streamcl.train.items.offered.again", "kind", kind);
    }

    public void trainerStep(String kind, long step) {
        gauge("streamcl.train.step", kind).set(step);
    }

    /** The trainer's own step count (continues from a resumed snapshot). */
    public long trainerStep(String kind) {
        return gauge("streamcl.train.step", kind).get();
    }

    public void usesDropped(String kind, long uses) {
        gauge("streamcl.train.uses.dropped", kind).set(uses);
    }

    public long usesDropped(String kind) {
        return Math.max(0, gauge("streamcl.train.uses.dropped", kind).get());
    }

    public void pendingTraining(String kind, long uses) {
        gauge("streamcl.train.pending.uses", kind).set(uses);
    }

    // --- reading, for progress lines and tests ---

    public long itemsIn(String kind) {
        return count("streamcl.items.in", "kind", kind);
    }

    public long deadLetters() {
        return (long) registry.find("streamcl.dead.letters").counters().stream().mapToDouble(Counter::count).sum();
    }

    public long embeddingsOut(String kind) {
        return count("streamcl.embeddings.out", "kind", kind);
    }

    public long lateItems(String kind) {
        return count("streamcl.items.late", "kind", kind);
    }

    public long itemsEmbedded(String kind) {
        return count("streamcl.items.embedded", "kind", kind);
    }

    public long steps(String kind) {
        return count("streamcl.train.steps", "kind", kind);
    }

    public long pairsTrained(String kind) {
        return count("streamcl.train.pairs", "kind", kind);
    }

    public long itemsTrained(String kind) {
        return count("streamcl.train.items", "kind", kind);
    }

    public float loss(String kind) {
        return gauge("streamcl.train.loss.milli", kind).get() / 1000f;
    }

    public long publishedVersion(String kind) {
        return gauge("streamcl.model.published.version", kind).get();
    }

    public long publishedStep(String kind) {
        return gauge("streamcl.model.published.step", kind).get();
    }

    public long embeddingVersion(String kind) {
        return gauge("streamcl.model.embedding.version", kind).get();
    }

    /**
     * Whether {@code items} items of the kind are embedded and learned in full, and the trainer's last
     * step is published: a finite load is through the pipeline.
     */
    public boolean caughtUp(String kind, long items) {
        return itemsEmbedded(kind) >= items && itemsTrained(kind) >= items && pendingTraining(kind) == 0
                && trainerStep(kind) > 0 && publishedVersion(kind) >= 1 && publishedStep(kind) == trainerStep(kind);
    }

    public long pendingTraining(String kind) {
        return gauge("streamcl.train.pending.uses", kind).get();
    }

    private long count(String name, String tag, String value) {
        return Math.round(counter(name, tag, value).count());
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '|' + value,
                k -> Counter.builder(name).tag(tag, value).register(registry));
    }

    private AtomicLong gauge(String name, String kind) {
        Function<String, AtomicLong> create = k -> {
            AtomicLong v = new AtomicLong(-1);
            Gauge.builder(name, v, AtomicLong::get).tag("kind", kind).register(registry);
            return v;
        };
        return gauges.computeIfAbsent(name + '|' + kind, create);
    }

    /** A gauge of a double, held as its bits; NaN until set. */
    private AtomicLong doubleGauge(String name, String kind) {
        return gauges.computeIfAbsent(name + '|' + kind, k -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            Gauge.builder(name, bits, b -> Double.longBitsToDouble(b.get())).tag("kind", kind).register(registry);
            return bits;
        });
    }

    private AtomicLong taskGauge(String name, String task) {
        return taskGauges.computeIfAbsent(name + '|' + task, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).tag("task", task).register(registry);
            return v;
        });
    }
}
