package io.streamcl.cli;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.eval.EvalReport;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.kind.DemoScenario;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.KindDefinition;
import io.streamcl.kind.KindRegistry;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.kind.ItemKinds;
import io.streamcl.serve.CannotListenException;
import io.streamcl.serve.ServedLearner;
import io.streamcl.topology.ModelSnapshots;
import io.streamcl.topology.PipelineMetrics;
import io.streamcl.topology.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole product on one machine: an in-JVM broker, the learner, a stream of labelled items of
 * one kind, and at the end a table of what the learned embeddings are worth.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an in-JVM Kafka broker, stream labelled items through the learner and report kNN accuracy.")
public final class DemoCommand implements Callable<Integer> {
    private static final String IMAGES = "data/fashion-mnist/";

    @Option(names = "--kind", defaultValue = "image", completionCandidates = KindChoices.Demos.class,
            description = "the kind whose demo runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String kind;

    @Option(names = "--train-images", defaultValue = IMAGES + "t10k-images-idx3-ubyte.gz", paramLabel = "IDX")
    Path trainImages;

    @Option(names = "--train-labels", defaultValue = IMAGES + "t10k-labels-idx1-ubyte.gz", paramLabel = "IDX")
    Path trainLabels;

    @Option(names = "--test-images", paramLabel = "IDX",
            description = "held-out images (default: the last 20%% of --train-images)")
    Path testImages;

    @Option(names = "--test-labels", paramLabel = "IDX")
    Path testLabels;

    @Option(names = "--sentences", defaultValue = "data/brown/brown-genre.tsv.gz", paramLabel = "TSV",
            description = "labelled sentences with a header (default: the Brown corpus)")
    Path sentences;

    @Option(names = "--text-column", defaultValue = "sentence")
    String textColumn;

    @Option(names = "--label-column", defaultValue = "genre")
    String labelColumn;

    @Option(names = "--document-column", defaultValue = "fileid",
            description = "train and held-out sentences come from different documents")
    String documentColumn;

    @Option(names = "--items", defaultValue = "-1",
            description = "training items to stream (default: 8000 images, 20000 sentences)")
    int items;

    @Option(names = "--users", defaultValue = "2000", description = "event: synthetic users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--report-json", paramLabel = "FILE", description = "also write the final table as JSON")
    Path reportJson;

    @Option(names = "--timeout", defaultValue = "900", paramLabel = "S", description = "give up after S seconds")
    int timeoutSeconds;

    @Option(names = "--serve", description = "serve over HTTP (http.* settings) and keep running after the table until"
            + " interrupted")
    boolean serve;

    @Mixin
    SettingsOptions settingsOptions;

    private final UntilInterrupted interrupted = new UntilInterrupted();

    @Override
    public Integer call() throws Exception {
        try {
            return demo();
        } finally {
            interrupted.close();
        }
    }

    private int demo() throws Exception {
        Optional<DemoScenario.Factory> demo = KindRegistry.standard().byName(kind).flatMap(KindDefinition::demo);
        if (demo.isEmpty()) {
            System.err.println("no demo of kind " + kind + " (demos: " + String.join(", ", new KindChoices.Demos()) + ")");
            return 2;
        }
        DemoScenario scenario;
        try {
            scenario = demo.get().create(new DemoScenario.Options(trainImages, trainLabels, testImages, testLabels,
                    sentences, textColumn, labelColumn, documentColumn, items, users, seed));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n(run the demo from the repository root, or pass the data files)");
            return 2;
        }
        List<RawItem> items = scenario.trainingItems();
        Path stateDir = Files.createTempDirectory("streamcl-demo-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            Settings settings;
            try {
                settings = settingsOptions.load(demoDefaults(scenario, stateDir, items.size()))
                        .withPlaintextBroker(broker.bootstrapServers());
                if (!serve) { // a demo that ends serves nothing, whatever http.port says
                    settings = settings.with(Map.of(Settings.HTTP_PORT.name(), "-1"));
                }
            } catch (InvalidSettingsException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            System.out.println("demo: " + scenario.describe());
            System.out.println("demo: Kafka broker (KRaft, in this JVM) at " + broker.bootstrapServers());
            Topics topics = Topics.from(settings);
            ServedLearner started;
            try {
                started = ServedLearner.start(settings, ItemKinds.fromSettings(settings));
            } catch (CannotListenException e) {
                System.err.println(e.getMessage());
                return 2;
            }
            try (ServedLearner app = started) {
                PipelineMetrics metrics = app.metrics();
                Settings own = settings.forKind(scenario.kind());
                System.out.printf("demo: learner running on %s; method %s, batch %d, bank %d, replay %dx%n",
                        app.app().device(), own.get(Settings.METHOD), own.get(Settings.BATCH_SIZE),
                        own.get(Settings.BANK_SIZE), own.get(Settings.REPLAY_UPDATES));
                produce(settings, items);
                BadRecords.send(settings.kafkaClientProperties(), topics.rawItems());
                if (!awaitDone(metrics, scenario.kind(), items.size(), Duration.ofSeconds(timeoutSeconds))) {
                    System.err.println("demo: timed out after " + timeoutSeconds + " s");
                    return 1;
                }
                EvalReport report;
                try {
                    report = evaluateFeed(settings, scenario, metrics.trainerStep(scenario.kind()),
                            Duration.ofSeconds(timeoutSeconds));
                } catch (IllegalStateException e) {
                    System.err.println("demo: " + e.getMessage());
                    return 1;
                }
                printDeadLetters(settings, topics);
                System.out.println();
                System.out.println(report.toText());
                if (reportJson != null) {
                    Files.writeString(reportJson, report.toJson());
                    System.out.println("demo: report written to " + reportJson);
                }
                if (app.httpPort().isPresent()) {
                    System.out.printf("demo: serving on http://%s:%d until interrupted (Ctrl-C)%n",
                            settings.get(Settings.HTTP_HOST), app.httpPort().getAsInt());
                    interrupted.await();
                }
            }
        } finally {
            deleteTree(stateDir);
        }
        return 0;
    }

    private Map<String, String> demoDefaults(DemoScenario scenario, Path stateDir, int items) {
        Map<String, String> d = new LinkedHashMap<>();
        // the demo loads its whole data set at once: let all of it wait for the trainer, so that every item is
        // learned replay.updates-per-item times instead of sampled (what a live stream too fast to learn gets)
        d.put(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(Math.max(items, 1)));
        d.put(Settings.SEED.name(), Long.toString(seed));
        d.put(Settings.STATE_DIR.name(), stateDir.toString());
        d.put(Settings.APPLICATION_ID.name(), "streamcl-demo");
        d.put(Settings.TOPIC_PARTITIONS.name(), "2");
        d.putAll(scenario.settingDefaults());
        return d;
    }

    static void produce(Settings settings, List<RawItem> items) {
        try (RawItemProducer producer = new RawItemProducer(settings.kafkaClientProperties(),
                settings.get(Settings.TOPIC_RAW_ITEMS), KindRegistry.standard()::partitionKey)) {
            items.forEach(producer::send);
            producer.flush();
            System.out.printf("demo: produced %d items to %s%n", producer.acked(), settings.get(Settings.TOPIC_RAW_ITEMS));
        }
    }

    /** Until every item is embedded and trained on, and the last steps are published. */
    static boolean awaitDone(PipelineMetrics m, String kind, int n, Duration timeout) throws InterruptedException {
        Progress progress = new Progress(m, List.of(kind));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean tty = System.console() != null;
        long lastPrint = 0;
        while (System.nanoTime() < deadline) {
            boolean done = m.caughtUp(kind, n);
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

    /**
     * Waits for the feed to converge on the scenario's ids, then scores the served version and the
     * feed itself against the untrained encoder and the kind's baselines.
     *
     * @param steps the trainer's step count once it was done: its snapshot must be on the models topic
     * @throws IllegalStateException if the feed does not converge in time
     */
    static EvalReport evaluateFeed(Settings settings, DemoScenario scenario, long steps, Duration timeout) {
        Topics topics = Topics.from(settings);
        Map<String, Object> connection = settings.kafkaClientProperties();
        List<ModelSnapshot> snapshots = ModelRegistry.readUntil(connection, topics.models(), scenario.kind(),
                r -> r.candidates().stream().anyMatch(s -> s.getStep() >= steps), Duration.ofSeconds(60))
                .orElseThrow(() -> new IllegalStateException("the final model snapshot never reached the models topic"))
                .candidates();
        FeedReader.Feed feed = FeedReader.read(connection, topics.embeddings(), topics.models(), topics.status(),
                scenario.feedKind(), scenario.feedIds(), true, timeout);
        if (!feed.complete()) {
            throw new IllegalStateException("the feed did not converge within " + timeout.toSeconds() + " s: "
                    + String.join("; ", feed.missing()));
        }
        ModelSnapshot served = ModelRegistry.read(connection, topics.models(), scenario.kind()).served(scenario.kind())
                .orElseThrow();
        System.out.printf("demo: the feed has converged on %s v%d (%d ids)%n", served.getName(), served.getVersion(),
                feed.latest().size());
        Map<String, float[]> vectors = new LinkedHashMap<>();
        feed.latest().forEach((id, e) -> vectors.put(id, e.vector()));
        ItemKind<?> kind = KindRegistry.standard().byName(scenario.kind()).orElseThrow().configure(settings);
        ComputeDevice device = ComputeDevice.resolve(settings.get(Settings.DEVICE));
        return scenario.evaluate(settings, snapshots.get(0), served, vectors,
                s -> device.embedder(kind.encoderSpec(s.getEncoderConfig()), ModelSnapshots.parameters(s)));
    }

    private static void printDeadLetters(Settings settings, Topics topics) {
        List<DeadLetter> letters = new ArrayList<>();
        AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
        TopicScan.scan(settings.kafkaClientProperties(), topics.deadLetters(), serde.deserializer(),
                Duration.ofSeconds(10), r -> letters.add(r.value()), () -> true);
        System.out.printf("demo: %d records went to %s:%n", letters.size(), topics.deadLetters());
        for (DeadLetter d : letters) {
            System.out.printf("  offset %d of %s-%d, stage %s: %s%n", d.getSourceOffset(), d.getSourceTopic(),
                    d.getSourcePartition(), d.getStage(), d.getReason());
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
