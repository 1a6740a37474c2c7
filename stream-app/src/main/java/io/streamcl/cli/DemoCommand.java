package io.streamcl.cli;

import io.streamcl.augment.ImageTensor;
import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.eval.EvalReport;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ImageKind;
import io.streamcl.learn.Devices;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.ModelSnapshots;
import io.streamcl.topology.PipelineMetrics;
import io.streamcl.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole product on one machine: an in-JVM broker, the learner, a stream of labelled images,
 * and at the end a table of what the learned embeddings are worth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an in-JVM Kafka broker, stream Fashion-MNIST images through the learner and report kNN accuracy.")
public final class DemoCommand implements Callable<Integer> {
    private static final String DATA = "data/fashion-mnist/";

    @Option(names = "--train-images", defaultValue = DATA + "t10k-images-idx3-ubyte.gz", paramLabel = "IDX")
    Path trainImages;

    @Option(names = "--train-labels", defaultValue = DATA + "t10k-labels-idx1-ubyte.gz", paramLabel = "IDX")
    Path trainLabels;

    @Option(names = "--test-images", paramLabel = "IDX",
            description = "held-out images (default: the last 20% of --train-images)")
    Path testImages;

    @Option(names = "--test-labels", paramLabel = "IDX")
    Path testLabels;

    @Option(names = "--items", defaultValue = "8000", description = "training items to stream (default ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--report-json", paramLabel = "FILE", description = "also write the final table as JSON")
    Path reportJson;

    @Option(names = "--timeout", defaultValue = "900", paramLabel = "S", description = "give up after S seconds")
    int timeoutSeconds;

    @Mixin
    SettingsOptions settingsOptions;

    /** Labelled images read from IDX files. */
    private record Split(List<ImageTensor> images, int[] labels, List<String> ids) {}

    @Override
    public Integer call() throws Exception {
        if ((testImages == null) != (testLabels == null)) {
            System.err.println("--test-images and --test-labels go together");
            return 2;
        }
        Split train;
        Split test;
        try {
            Split all = read(trainImages, trainLabels, "train-", items);
            if (testImages != null) {
                train = all;
                test = read(testImages, testLabels, "test-", Integer.MAX_VALUE);
            } else {
                Split whole = read(trainImages, trainLabels, "item-", Integer.MAX_VALUE);
                int holdout = whole.images().size() / 5;
                int trainCount = Math.min(items, whole.images().size() - holdout);
                train = slice(whole, 0, trainCount);
                test = slice(whole, whole.images().size() - holdout, whole.images().size());
            }
        } catch (IOException e) {
            System.err.println(e.getMessage() + "\n(run the demo from the repository root, or pass --train-images/--train-labels)");
            return 2;
        }
        if (train.images().size() < 2 || test.images().isEmpty()) {
            System.err.println("need at least 2 training and 1 held-out images");
            return 2;
        }

        Path stateDir = Files.createTempDirectory("streamcl-demo-state");
        Map<String, String> demoDefaults = new LinkedHashMap<>();
        demoDefaults.put(Settings.SEED.name(), Long.toString(seed));
        demoDefaults.put(Settings.STATE_DIR.name(), stateDir.toString());
        demoDefaults.put(Settings.APPLICATION_ID.name(), "streamcl-demo");
        demoDefaults.put(Settings.TOPIC_PARTITIONS.name(), "2");
        // a finite sample in one pass: replay makes it worth several epochs (Purushwalkam et al. 2022)
        demoDefaults.put(Settings.REPLAY_UPDATES.name(), "30");
        System.out.printf("demo: %d training images streamed, %d held out (%s)%n", train.images().size(),
                test.images().size(), testImages == null ? "last 20% of " + trainImages : testImages);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            demoDefaults.put(Settings.BOOTSTRAP_SERVERS.name(), broker.bootstrapServers());
            Settings settings;
            try {
                settings = settingsOptions.load(demoDefaults).with(Map.of(Settings.BOOTSTRAP_SERVERS.name(),
                        broker.bootstrapServers()));
            } catch (InvalidSettingsException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            System.out.println("demo: Kafka broker (KRaft, in this JVM) at " + broker.bootstrapServers());
            PipelineMetrics metrics = new PipelineMetrics();
            Topics topics = Topics.from(settings);
            ModelSnapshot untrained;
            ModelSnapshot trained;
            try (LearnerApp app = LearnerApp.start(settings, metrics)) {
                System.out.printf("demo: learner running on %s; method %s, batch %d, bank %d, replay %dx%n",
                        app.device(), settings.get(Settings.METHOD), settings.get(Settings.BATCH_SIZE),
                        settings.get(Settings.BANK_SIZE), settings.get(Settings.REPLAY_UPDATES));
                produce(settings, train);
                BadRecords.send(settings.get(Settings.BOOTSTRAP_SERVERS), topics.rawItems());
                if (!awaitDone(metrics, train.images().size(), Duration.ofSeconds(timeoutSeconds))) {
                    System.err.println("demo: timed out after " + timeoutSeconds + " s");
                    return 1;
                }
                List<ModelSnapshot> snapshots = readSnapshots(settings, metrics.trainerStep(ImageKind.NAME));
                untrained = snapshots.get(0);
                trained = snapshots.get(snapshots.size() - 1);
            }
            printDeadLetters(settings, topics);
            EvalReport report = evaluate(settings, train, test, untrained, trained);
            System.out.println();
            System.out.println(report.toText());
            if (reportJson != null) {
                Files.writeString(reportJson, report.toJson());
                System.out.println("demo: report written to " + reportJson);
            }
        } finally {
            deleteTree(stateDir);
        }
        return 0;
    }

    private static Split read(Path imagesFile, Path labelsFile, String idPrefix, int max) throws IOException {
        io.streamcl.ingest.IdxImages images = IdxFile.readImages(imagesFile);
        int[] labels = IdxFile.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IOException(imagesFile + " has " + images.count() + " images but " + labelsFile + " has "
                    + labels.length + " labels");
        }
        int n = Math.min(max, images.count());
        List<ImageTensor> tensors = new ArrayList<>(n);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tensors.add(io.streamcl.augment.ImageOps.fromRawU8(images.cols(), images.rows(), 1, images.image(i)));
            ids.add(idPrefix + i);
        }
        return new Split(tensors, Arrays.copyOf(labels, n), ids);
    }

    private static Split slice(Split s, int from, int to) {
        return new Split(s.images().subList(from, to), Arrays.copyOfRange(s.labels(), from, to), s.ids().subList(from, to));
    }

    private static void produce(Settings settings, Split train) {
        try (RawItemProducer producer = new RawItemProducer(settings.get(Settings.BOOTSTRAP_SERVERS),
                settings.get(Settings.TOPIC_RAW_ITEMS))) {
            for (int i = 0; i < train.images().size(); i++) {
                ImageTensor t = train.images().get(i);
                byte[] bytes = new byte[t.data().length];
                for (int j = 0; j < bytes.length; j++) {
                    bytes[j] = (byte) Math.round(t.data()[j] * 255f);
                }
                ImageItem image = RawItems.rawU8(t.width(), t.height(), 1, bytes);
                producer.send(RawItems.image(train.ids().get(i), System.currentTimeMillis(), image));
            }
            producer.flush();
            System.out.printf("demo: produced %d images to %s%n", producer.acked(), settings.get(Settings.TOPIC_RAW_ITEMS));
        }
    }

    /** Until every item is embedded and trained on, and the last steps are published. */
    private static boolean awaitDone(PipelineMetrics m, int n, Duration timeout) throws InterruptedException {
        Progress progress = new Progress(m, List.of(ImageKind.NAME));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean tty = System.console() != null;
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            String k = ImageKind.NAME;
            boolean done = m.embeddingsOut(k) >= n && m.itemsTrained(k) >= n && m.pendingTraining(k) == 0
                    && m.trainerStep(k) > 0 && m.publishedVersion(k) >= 1 && m.publishedStep(k) == m.trainerStep(k);
            long now = System.nanoTime();
            if (done || now - lastPrint > (tty ? 1e9 : 5e9)) {
                String line = progress.line();
                System.out.print(tty ? "\r" + line : line + "\n");
                lastPrint = now;
            }
            if (done) {
                System.out.println();
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** Every snapshot published so far, oldest first, once the one at {@code steps} is visible. */
    private static List<ModelSnapshot> readSnapshots(Settings settings, long steps) {
        List<ModelSnapshot> all = new ArrayList<>();
        AvroSerde<ModelSnapshot> serde = AvroSerde.of(ModelSnapshot.class);
        boolean found = TopicScan.scan(settings.get(Settings.BOOTSTRAP_SERVERS), settings.get(Settings.TOPIC_MODELS),
                serde.deserializer(), Duration.ofSeconds(60), r -> all.add(r.value()),
                () -> all.stream().anyMatch(s -> s.getStep() >= steps));
        if (!found || all.isEmpty()) {
            throw new IllegalStateException("the final model snapshot never reached the models topic");
        }
        all.sort((a, b) -> Long.compare(a.getVersion(), b.getVersion()));
        return all;
    }

    private static void printDeadLetters(Settings settings, Topics topics) {
        List<DeadLetter> letters = new ArrayList<>();
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        TopicScan.scan(settings.get(Settings.BOOTSTRAP_SERVERS), topics.deadLetters(), serde.deserializer(),
                Duration.ofSeconds(10), r -> letters.add(r.value()), () -> true);
        System.out.printf("demo: %d records went to %s:%n", letters.size(), topics.deadLetters());
        for (DeadLetter d : letters) {
            System.out.printf("  offset %d of %s-%d, stage %s: %s%n", d.getSourceOffset(), d.getSourceTopic(),
                    d.getSourcePartition(), d.getStage(), d.getReason());
        }
    }

    private EvalReport evaluate(Settings settings, Split train, Split test, ModelSnapshot untrained,
            ModelSnapshot trained) {
        ImageKind kind = new ImageKind(settings);
        EncoderComparison<ImageTensor> cmp = new EncoderComparison<>(kind, train.images(), train.labels(),
                test.images(), test.labels(), test.ids(), seed + 1, 200);
        EvalReport report = new EvalReport(String.format("kNN accuracy (k=200, cosine, weighted) on %d held-out"
                + " images; memory: %d streamed images", test.images().size(), train.images().size()),
                List.of(EncoderComparison.KNN_CLEAN, EncoderComparison.KNN_AUGMENTED, EncoderComparison.UNIFORMITY));
        report.addRow("learned (" + trained.getName() + " v" + trained.getVersion() + ", step " + trained.getStep() + ")",
                withEncoder(kind, trained, cmp, settings));
        report.addRow("untrained encoder (v" + untrained.getVersion() + ")", withEncoder(kind, untrained, cmp, settings));
        report.addRow("raw pixels", cmp.rawInputs());
        return report;
    }

    private static Map<String, Double> withEncoder(ImageKind kind, ModelSnapshot s, EncoderComparison<ImageTensor> cmp,
            Settings settings) {
        try (Embedder e = new Embedder(kind.encoderSpec(s.getEncoderConfig()), ModelSnapshots.parameters(s),
                Devices.resolve(settings.get(Settings.DEVICE)))) {
            return cmp.encoder(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
