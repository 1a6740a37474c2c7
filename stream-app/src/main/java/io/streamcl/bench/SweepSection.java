package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;
import static io.streamcl.bench.SectionReport.f3;

import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.learn.ComputeDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One setting varied at a time, each variant learned in a bare loop and scored by kNN; plotted. */
public final class SweepSection {
    private SweepSection() {}

    /** Where the trade-off plot goes: beside the sweep's, {@code x.png} gives {@code x-tradeoff.png}. */
    static Path tradeoffPlot(Path plot) {
        String name = plot.getFileName().toString();
        String stem = name.toLowerCase(java.util.Locale.ROOT).endsWith(".png") ? name.substring(0, name.length() - 4)
                : name;
        return plot.resolveSibling(stem + "-tradeoff.png");
    }

    /** @param plot where the PNG goes; the report links it by its file name */
    public static <I> SectionReport measure(BenchRun run, SweepData<I> data, List<Sweep.Variation> variations,
            Path plot) throws IOException {
        Settings settings = run.settings();
        int n = data.train().size();
        Sweep<I> sweep = new Sweep<>(data.kinds(), data.trainIds(), data.train(), data.comparison(),
                ComputeDevice.resolve(settings.get(Settings.DEVICE)));
        System.out.printf("bench: sweep, each variant learns %d %s%n", n, data.noun());
        List<Sweep.Point> points = sweep.run(settings, variations, p -> System.out.printf(
                "bench: sweep %s = %s: kNN %.3f clean, %.3f augmented, probe %.3f, %.1f items/s%n", p.label(), p.value(),
                p.knn(), p.scores().get(EncoderComparison.KNN_AUGMENTED), p.scores().get(EncoderComparison.PROBE_CLEAN),
                p.run().sustainedItemsPerSecond()));
        SectionReport report = new SectionReport();
        report.heading("Sweep: what the hyperparameters buy, and what they cost");
        report.text("One setting varied at a time from the settings above; each variant learns the same %d %s"
                        + " (%s; replay %dx) in a bare loop, then kNN (k=200) and a linear probe classify %d held-out"
                        + " %s against them. Plot: `%s`.%n%n", n, data.noun(), data.source(),
                settings.get(Settings.REPLAY_UPDATES), data.testItems(), data.noun(), plot.getFileName());
        data.baselines().forEach((name, knn) -> report.text("%s, which learns nothing: kNN %s clean.%n%n", name,
                f3(report.figure("sweep", name, "knn_clean", knn))));
        List<List<String>> rows = new ArrayList<>();
        List<SweepPlot.Point> plotted = new ArrayList<>();
        java.util.Map<String, TradeoffPlot.Point> variants = new java.util.LinkedHashMap<>(); // each trained variant once
        for (Sweep.Point p : points) {
            String subject = p.setting() + "=" + p.value();
            double knn = report.figure("sweep", subject, "knn_clean", p.knn());
            double aug = report.figure("sweep", subject, "knn_augmented", p.scores().get(EncoderComparison.KNN_AUGMENTED));
            double probe = report.figure("sweep", subject, "probe_clean", p.scores().get(EncoderComparison.PROBE_CLEAN));
            double uni = report.figure("sweep", subject, "uniformity", p.scores().get(EncoderComparison.UNIFORMITY));
            double rate = report.figure("sweep", subject, "items_per_second_sustained", p.run().sustainedItemsPerSecond());
            rows.add(List.of(p.label(), p.value(), f3(knn), f3(aug), f3(probe), f3(uni), f1(rate)));
            plotted.add(new SweepPlot.Point(p.label(), p.value(), knn, rate));
            variants.putIfAbsent(p.variant(), new TradeoffPlot.Point(p.variant(), knn, rate));
        }
        report.table(List.of("setting", "value", "kNN clean", "kNN augmented", "probe clean", "uniformity",
                "items/s (sustained)"),
                rows);
        SweepPlot.write(plotted, plot);
        report.text("![kNN accuracy and items/s by setting](%s)%n%n", plot.getFileName());
        Path tradeoff = tradeoffPlot(plot);
        TradeoffPlot.write(List.copyOf(variants.values()), "kNN accuracy, clean queries", tradeoff);
        report.text("Every variant at its speed and quality, and the frontier of those that nothing beats on both"
                + " (`%s`):%n%n![kNN accuracy against items/s](%s)%n", tradeoff.getFileName(), tradeoff.getFileName());
        return report;
    }
}
