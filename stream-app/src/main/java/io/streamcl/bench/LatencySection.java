package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;

import io.streamcl.config.Settings;
import java.time.Duration;
import java.util.List;

/** From produce to a readable embedding, at a fixed offered rate, training on. */
public final class LatencySection {
    private LatencySection() {}

    /**
     * @param givenRate offered items/s; 0 or less: half the pipeline's sustained rate
     * @param seconds timed seconds, after a 10 s warm-up
     */
    public static SectionReport measure(BenchRun run, OfferedRate offered, double givenRate, int seconds)
            throws InterruptedException {
        double rate = offered.offered(givenRate);
        System.out.printf("bench: latency at %.0f items/s for %d s (after a 10 s warm-up)%n", rate, seconds);
        LatencyProbe.Result r = LatencyProbe.run(run.settings(), "streamcl-bench-latency", run.pool(), rate,
                Duration.ofSeconds(10), Duration.ofSeconds(seconds));
        SectionReport report = new SectionReport();
        report.heading("Latency: from produce to a readable embedding");
        report.text("Images offered at a fixed %.0f items/s (half the pipeline's sustained rate%s), training on, for"
                        + " %d s after a 10 s warm-up. Clock: from handing the item to the producer to a `read_committed`"
                        + " consumer of `embeddings` receiving it (producer linger, broker, decode, the embedder's"
                        + " batching, the exactly-once commit: `embed.linger.ms` %d, commit interval 100 ms).%n%n",
                report.figure("latency", "offered", "items_per_second", rate),
                givenRate > 0 ? ", or as given" : "", seconds, run.settings().get(Settings.EMBED_LINGER_MS));
        report.table(List.of("items timed", "p50 (ms)", "p99 (ms)", "max (ms)"), List.of(List.of(
                Integer.toString(r.measured()),
                f1(report.figure("latency", "produce to embedding", "p50_ms", r.percentile(50))),
                f1(report.figure("latency", "produce to embedding", "p99_ms", r.percentile(99))),
                f1(report.figure("latency", "produce to embedding", "max_ms", r.max())))));
        report.text("Target: p99 at most 500 ms.%n");
        System.out.printf("bench: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d items%n", r.percentile(50),
                r.percentile(99), r.max(), r.measured());
        return report;
    }
}
