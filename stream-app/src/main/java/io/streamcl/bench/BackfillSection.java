package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;
import static io.streamcl.bench.SectionReport.f2;

import io.streamcl.config.Settings;
import io.streamcl.kind.ImageKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The whole catalogue re-embedded after a pin, while training goes on and fresh items keep coming. */
public final class BackfillSection {
    private BackfillSection() {}

    /**
     * @param items the catalogue's size
     * @param givenRate fresh items/s offered meanwhile; 0 or less: half the pipeline's sustained rate
     * @param pin pins, as {@code promote --version} does, a version the catalogue is not on
     */
    public static SectionReport measure(BenchRun run, OfferedRate offered, int items, double givenRate,
            BackfillProbe.Pin pin) throws Exception {
        double rate = offered.offered(givenRate);
        System.out.printf("bench: backfill of %d images, fresh images at %.0f items/s meanwhile%n", items, rate);
        // the gate promotes nothing during the load (v0 stays served), so the pin comes while the trainer is still
        // learning from it: the backfill is timed beside training
        Settings s = run.settings().with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(),
                Long.toString(MemorySection.SAMPLED_BACKLOG), Settings.PROMOTION_INTERVAL_MS.name(),
                Integer.toString(3_600_000)));
        BackfillProbe.Result r = BackfillProbe.run(s, "streamcl-bench-backfill", ImageKind.NAME, run.pool(), items,
                rate, pin, run.timeout());
        SectionReport report = new SectionReport();
        report.heading("Backfill: the whole catalogue re-embedded while training");
        report.text("%d images streamed (the %d of `%s` cycled under fresh ids) and embedded, training on"
                        + " (`replay.max-backlog` %d: the trainer samples; `promotion.interval.ms` one hour, so v0 stays"
                        + " served through the load and the trainer is still learning from it when the pin comes); once"
                        + " the served version was complete on every partition, v%d was pinned as `promote --kind image --version %d` does, so that every embed task"
                        + " re-embeds its whole catalogue. Meanwhile fresh images were offered at a fixed %.0f items/s (%s),"
                        + " timed as in the latency section: to a `read_committed` consumer of `embeddings`, which reads"
                        + " the backfill's records too. The backfill's time runs from the pin until every partition's"
                        + " `EmbeddingStatus` for v%d was read. Rerun: `java -jar stream-app/target/stream-app.jar bench"
                        + " --sections backfill --backfill-items %d%s`.%n%n",
                items, run.pool().size(), run.images(), MemorySection.SAMPLED_BACKLOG, r.version(), r.version(),
                report.figure("backfill", "fresh items", "offered_items_per_second", rate),
                givenRate > 0 ? "as given" : "half the pipeline's sustained rate", r.version(), items,
                givenRate > 0 ? String.format(Locale.ROOT, " --backfill-rate %s", givenRate) : "");
        report.table(List.of("items streamed", "re-embedded", "in the catalogues after", "backfill (s)",
                "backfill (items/s)", "training steps/s"), List.of(List.of(
                Integer.toString(r.items()),
                Long.toString((long) report.figure("backfill", "catalogue", "reembedded", r.reembedded())),
                Long.toString((long) report.figure("backfill", "catalogue", "catalogued", r.catalogued())),
                f1(report.figure("backfill", "catalogue", "seconds", r.seconds())),
                f1(report.figure("backfill", "catalogue", "items_per_second", r.itemsPerSecond())),
                f2(report.figure("backfill", "trainer", "steps_per_second", r.stepsPerSecond())))));
        LatencyProbe.Result fresh = r.fresh();
        report.table(List.of("fresh items timed", "p50 (ms)", "p99 (ms)", "max (ms)"), List.of(List.of(
                Long.toString((long) report.figure("backfill", "fresh items", "timed", fresh.measured())),
                f1(report.figure("backfill", "fresh items", "p50_ms", fresh.percentile(50))),
                f1(report.figure("backfill", "fresh items", "p99_ms", fresh.percentile(99))),
                f1(report.figure("backfill", "fresh items", "max_ms", fresh.max())))));
        report.text("Target: p99 of the fresh items at most 500 ms during the backfill.%n");
        System.out.printf("bench: backfill of %d entries to v%d in %.1f s (%.0f items/s, %.2f training steps/s); fresh"
                        + " items p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d%n", r.reembedded(), r.version(),
                r.seconds(), r.itemsPerSecond(), r.stepsPerSecond(), fresh.percentile(50), fresh.percentile(99),
                fresh.max(), fresh.measured());
        return report;
    }
}
