package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;
import static io.streamcl.bench.SectionReport.f3;

import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.kind.ImageKind;
import io.streamcl.learn.ComputeDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One setting varied at a time, each variant learned in a bare loop and scored by kNN; plotted. */
public final class SweepSection {
    private SweepSection() {}

    /** @param plot where the PNG goes; the report links it by its file name */
    public static SectionReport measure(BenchRun run, LabelledImages data, Path plot) throws IOException {
        Settings settings = run.settings();
        List<ImageTensor> train = data.train();
        List<ImageTensor> test = data.test();
        int n = train.size();
        Sweep<ImageTensor> sweep = new Sweep<>(ImageKind::new, data.trainIds(), train,
                k -> new EncoderComparison<>(k, train, data.trainLabels(), test, data.testLabels(), data.testIds(),
                        run.seed() + 1, 200),
                ComputeDevice.resolve(settings.get(Settings.DEVICE)));
        System.out.printf("bench: sweep, each variant learns %d images%n", n);
        List<Sweep.Point> points = sweep.run(settings, Sweep.STANDARD, p -> System.out.printf(
                "bench: sweep %s = %s: kNN %.3f, %.1f items/s%n", p.label(), p.value(), p.knn(),
                p.run().sustainedItemsPerSecond()));
        SectionReport report = new SectionReport();
        report.heading("Sweep: what the hyperparameters buy, and what they cost");
        report.text("One setting varied at a time from the settings above; each variant learns the same %d images"
                        + " (%s; replay %dx) in a bare loop, then kNN (k=200) classifies %d held-out images against"
                        + " them. Plot: `%s`.%n%n", n, data.source(), settings.get(Settings.REPLAY_UPDATES), test.size(),
                plot.getFileName());
        List<List<String>> rows = new ArrayList<>();
        List<SweepPlot.Point> plotted = new ArrayList<>();
        for (Sweep.Point p : points) {
            String subject = p.setting() + "=" + p.value();
            double knn = report.figure("sweep", subject, "knn_clean", p.knn());
            double aug = report.figure("sweep", subject, "knn_augmented", p.scores().get(EncoderComparison.KNN_AUGMENTED));
            double uni = report.figure("sweep", subject, "uniformity", p.scores().get(EncoderComparison.UNIFORMITY));
            double rate = report.figure("sweep", subject, "items_per_second_sustained", p.run().sustainedItemsPerSecond());
            rows.add(List.of(p.label(), p.value(), f3(knn), f3(aug), f3(uni), f1(rate)));
            plotted.add(new SweepPlot.Point(p.label(), p.value(), knn, rate));
        }
        report.table(List.of("setting", "value", "kNN clean", "kNN augmented", "uniformity", "items/s (sustained)"),
                rows);
        SweepPlot.write(plotted, plot);
        report.text("![kNN accuracy and items/s by setting](%s)%n", plot.getFileName());
        return report;
    }
}
