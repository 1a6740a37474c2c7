package io.streamcl.cli;

import io.streamcl.bench.BareLoop;
import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ImageKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.Devices;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.LearnerTopology;
import io.streamcl.topology.PipelineMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Measures what the pipeline costs over the training it does: the same images learned by a bare loop in
 * memory and by the whole pipeline on an in-JVM broker (produce, decode, train, snapshot, embed, publish),
 * alternately, several times; writes BENCHMARKS.md and a CSV of every run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the pipeline against a bare training loop on the same images and settings.",
                "Writes BENCHMARKS.md and a CSV beside it (medians of --repeats runs of each)."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--images", defaultValue = "data/fashion-mnist/t10k-images-idx3-ubyte.gz", paramLabel = "IDX")
    Path images;

    @Option(names = "--items", defaultValue = "4096", description = "images learned per run (default: ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--repeats", defaultValue = "3", description = "runs of each (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", paramLabel = "FILE")
    Path out;

    @Option(names = "--csv", defaultValue = "benchmarks.csv", paramLabel = "FILE")
    Path csv;

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "S", description = "give up a run after S seconds")
    int timeoutSeconds;

    @Mixin
    SettingsOptions settingsOptions;

    private record Run(String mode, int repeat, int items, double seconds, long steps) {
        double itemsPerSecond() {
            return items / seconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (items < 1 || repeats < 1) {
            System.err.println("--items and --repeats must be >= 1");
            return 2;
        }
        Settings settings;
        List<RawItem> raw;
        try {
            // a run is learned in full, as in the demo: the whole set may wait for the trainer
            settings = settingsOptions.load(Map.of(Settings.KINDS.name(), ImageKind.NAME,
                    Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items)));
            raw = loadImages();
        } catch (InvalidSettingsException | IOException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        ImageKind kind = new ImageKind(settings);
        List<io.streamcl.augment.ImageTensor> decoded = new ArrayList<>();
        for (RawItem r : raw) {
            decoded.add(kind.decode(r));
        }
        List<String> ids = raw.stream().map(RawItem::getId).toList();
        List<Run> runs = new ArrayList<>();
        List<BareLoop.Result> bare = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) { // alternated, so that drift of the machine hits both alike
            System.out.printf("bench: run %d of %d: bare loop, %d images%n", r, repeats, items);
            BareLoop.Result b = BareLoop.run(kind, () -> new ContrastiveTrainer(kind.encoderSpec(),
                    LearnerTopology.trainerConfig(settings), Devices.resolve(settings.get(Settings.DEVICE)), null, 0),
                    LearnerTopology.replayPlan(settings), ids, decoded);
            bare.add(b);
            runs.add(new Run("bare", r, b.items(), b.seconds(), b.steps()));
            System.out.printf("bench: bare loop %.1f items/s (%d steps in %.1f s)%n", b.itemsPerSecond(), b.steps(),
                    b.seconds());
            System.out.printf("bench: run %d of %d: pipeline, %d images%n", r, repeats, items);
            Run p = pipeline(settings, raw, r);
            if (p == null) {
                return 1;
            }
            runs.add(p);
            System.out.printf("bench: pipeline %.1f items/s (%d steps in %.1f s)%n", p.itemsPerSecond(), p.steps(),
                    p.seconds());
        }
        writeCsv(runs);
        writeMarkdown(settings, runs, bare);
        System.out.printf("bench: wrote %s and %s%n", out, csv);
        return 0;
    }

    private List<RawItem> loadImages() throws IOException {
        if (!Files.exists(images)) {
            throw new IOException("images not found: " + images + " (run from the repository root, or pass --images)");
        }
        IdxImages idx = IdxFile.readImages(images);
        if (idx.count() < items) {
            throw new IOException(images + " has " + idx.count() + " images, fewer than --items " + items);
        }
        List<RawItem> out = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            out.add(RawItems.image("b-" + i, System.currentTimeMillis(), RawItems.rawU8(idx.cols(), idx.rows(), 1,
                    idx.image(i))));
        }
        return out;
    }

    /** One pipeline run on a fresh broker: from the first produced item until all are trained and embedded. */
    private Run pipeline(Settings base, List<RawItem> raw, int repeat) throws Exception {
        Path stateDir = Files.createTempDirectory("streamcl-bench-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            Settings settings = base.with(Map.of(Settings.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers(),
                    Settings.STATE_DIR.name(), stateDir.toString(),
                    Settings.APPLICATION_ID.name(), "streamcl-bench-" + repeat));
            PipelineMetrics metrics = new PipelineMetrics();
            try (LearnerApp app = LearnerApp.start(settings, metrics)) {
                long t0 = System.nanoTime();
                DemoCommand.produce(settings, raw);
                if (!DemoCommand.awaitDone(metrics, ImageKind.NAME, raw.size(), Duration.ofSeconds(timeoutSeconds))) {
                    System.err.println("bench: the pipeline run timed out after " + timeoutSeconds + " s");
                    return null;
                }
                return new Run("pipeline", repeat, raw.size(), (System.nanoTime() - t0) / 1e9,
                        metrics.steps(ImageKind.NAME));
            }
        } finally {
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void writeCsv(List<Run> runs) throws IOException {
        StringBuilder b = new StringBuilder("mode,repeat,items,seconds,items_per_second,steps\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.2f,%d%n", r.mode(), r.repeat(), r.items(), r.seconds(),
                    r.itemsPerSecond(), r.steps()));
        }
        Files.writeString(csv, b.toString());
    }

    private void writeMarkdown(Settings s, List<Run> runs, List<BareLoop.Result> bare) throws IOException {
        double bareMedian = median(runs, "bare");
        double pipelineMedian = median(runs, "pipeline");
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Written by `java -jar stream-app/target/stream-app.jar bench");
        b.append(items == 4096 ? "" : " --items " + items).append(repeats == 3 ? "" : " --repeats " + repeats);
        b.append("` on ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(".\n");
        b.append("Every figure below comes from that one run of the command; the CSV beside this file (`")
                .append(csv.getFileName()).append("`) has every run.\n\n");
        b.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                .append(", Java ").append(System.getProperty("java.version")).append(", device `")
                .append(s.get(Settings.DEVICE)).append("`.\n\n");
        b.append(String.format(Locale.ROOT, "Settings: image kind, %d Fashion-MNIST images per run (`%s`), method %s,"
                        + " batch %d, bank %d, replay %dx (each image is learned %d times), CNN channels %s,"
                        + " embedding %d, projection %d.%n%n", items, images, s.get(Settings.METHOD),
                s.get(Settings.BATCH_SIZE), s.get(Settings.BANK_SIZE), s.get(Settings.REPLAY_UPDATES),
                s.get(Settings.REPLAY_UPDATES), s.text(Settings.IMAGE_CONV_CHANNELS), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM)));
        b.append("## Pipeline against a bare training loop\n\n");
        b.append("- **bare loop**: the same kind, encoder, Adam, replay and augmentation, fed from memory on one"
                + " thread, no Kafka.\n");
        b.append("- **pipeline**: the same images produced to an in-JVM broker; decoded, routed, trained on the"
                + " trainer's own thread, snapshotted, embedded and published, exactly-once. Timed from the first"
                + " produce until every image is trained on in full and embedded.\n\n");
        b.append("| run | bare loop (items/s) | pipeline (items/s) |\n|---|---|---|\n");
        for (int r = 1; r <= repeats; r++) {
            int rr = r;
            b.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |%n", r,
                    runs.stream().filter(x -> x.repeat() == rr && x.mode().equals("bare")).findFirst().orElseThrow()
                            .itemsPerSecond(),
                    runs.stream().filter(x -> x.repeat() == rr && x.mode().equals("pipeline")).findFirst().orElseThrow()
                            .itemsPerSecond()));
        }
        b.append(String.format(Locale.ROOT, "| **median** | **%.1f** | **%.1f** |%n%n", bareMedian, pipelineMedian));
        b.append(String.format(Locale.ROOT, "Pipeline / bare loop: **%.2f** (target: 0.8 or more).%n%n",
                pipelineMedian / bareMedian));
        b.append("## Where a bare step's time goes\n\nMedian ms per step over each bare run's steps (batch ")
                .append(s.get(Settings.BATCH_SIZE)).append("):\n\n| run |");
        BareLoop.PHASES.forEach(p -> b.append(' ').append(p).append(" |"));
        b.append("\n|---|").append("---|".repeat(BareLoop.PHASES.size())).append('\n');
        for (int r = 0; r < bare.size(); r++) {
            b.append("| ").append(r + 1).append(" |");
            for (double v : bare.get(r).phases()) {
                b.append(String.format(Locale.ROOT, " %.1f |", v));
            }
            b.append('\n');
        }
        b.append("\nNot measured yet (issue 5): latency at a fixed rate, memory over 100k items, quality on the full"
                + " Fashion-MNIST, sentences and events, and the sweeps.\n");
        Files.writeString(out, b.toString());
    }

    private static double median(List<Run> runs, String mode) {
        return BareLoop.median(runs.stream().filter(r -> r.mode().equals(mode)).mapToDouble(Run::itemsPerSecond)
                .toArray());
    }
}
