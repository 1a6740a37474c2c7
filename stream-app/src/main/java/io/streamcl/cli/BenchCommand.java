package io.streamcl.cli;

import io.streamcl.bench.BackfillSection;
import io.streamcl.bench.BenchHeader;
import io.streamcl.bench.BenchPipeline;
import io.streamcl.bench.BenchReport;
import io.streamcl.bench.BenchRun;
import io.streamcl.bench.SweepData;
import io.streamcl.bench.LatencySection;
import io.streamcl.bench.MemorySection;
import io.streamcl.bench.NeighboursSection;
import io.streamcl.bench.OfferedRate;
import io.streamcl.bench.QualityScenario;
import io.streamcl.bench.QualitySection;
import io.streamcl.bench.SectionReport;
import io.streamcl.bench.SpeedupsSection;
import io.streamcl.bench.Sweep;
import io.streamcl.bench.SweepSection;
import io.streamcl.bench.ThroughputSection;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Setting;
import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.eval.EvalReport;
import io.streamcl.eval.LinearProbe;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.kind.DemoScenario;
import io.streamcl.kind.EventDemo;
import io.streamcl.kind.ImageDemo;
import io.streamcl.kind.ImageKind;
import io.streamcl.topology.LearnerTopology;
import io.streamcl.kind.SentenceDemo;
import io.streamcl.kind.SentenceKind;
import io.streamcl.learn.IntraOpThreads;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.LongPredicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Proves the claims with figures anyone can rerun: what the pipeline costs over the training it does,
 * how long an embedding takes to come out, whether memory stays flat, what is learned against the
 * baselines, and what the hyperparameters buy. Writes BENCHMARKS.md and a CSV of every figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark throughput (pipeline against a bare training loop), latency, memory, a backfill,"
                + " quality and a hyperparameter sweep.", "Writes BENCHMARKS.md, a CSV of every figure and a PNG of the sweep."})
public final class BenchCommand implements Callable<Integer> {
    private static final String FMNIST = "data/fashion-mnist/";
    private static final String SHARED_FMNIST = "../shared/data/fashion-mnist/";

    enum Section { throughput, latency, memory, backfill, quality, sweep, speedups, neighbours }

    @Option(names = "--sections", split = ",", defaultValue = "throughput,latency,memory,backfill,quality,sweep,speedups,neighbours",
            description = "what to measure: ${COMPLETION-CANDIDATES} (default: all)")
    EnumSet<Section> sections;

    @Option(names = "--images", defaultValue = FMNIST + "t10k-images-idx3-ubyte.gz", paramLabel = "IDX",
            description = "images for throughput, latency and memory (default: ${DEFAULT-VALUE})")
    Path images;

    @Option(names = "--items", defaultValue = "4096", description = "images per throughput run (default: ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--repeats", defaultValue = "3", description = "throughput runs of each (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--latency-rate", defaultValue = "0", paramLabel = "PER_S",
            description = "offered items/s for latency (default: half the pipeline's sustained rate)")
    double latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "30", description = "timed seconds of latency (default: ${DEFAULT-VALUE})")
    int latencySeconds;

    @Option(names = "--memory-items", defaultValue = "1000000",
            description = "items for the memory run (the learner in a process of its own), sampled at 10%%, 25%%, 50%%,"
                    + " 75%% and 100%% (default: ${DEFAULT-VALUE})")
    int memoryItems;

    @Option(names = "--memory-learner-heap", defaultValue = "1g",
            description = "the memory run's learner's heap limit (-Xmx), as the Dockerfile runs it; empty: the JVM's"
                    + " default, a quarter of RAM (default: ${DEFAULT-VALUE})")
    String memoryLearnerHeap;

    @Option(names = "--neighbours-vectors", defaultValue = "100000",
            description = "neighbours: vectors in the index searched (default: ${DEFAULT-VALUE})")
    int neighbourVectors;

    @Option(names = "--lookup-items", defaultValue = "5000",
            description = "neighbours: images embedded before the lookups by id (default: ${DEFAULT-VALUE})")
    int lookupItems;

    @Option(names = "--backfill-items", defaultValue = "100000",
            description = "items in the catalogue that the backfill run re-embeds (default: ${DEFAULT-VALUE})")
    int backfillItems;

    @Option(names = "--backfill-rate", defaultValue = "0", paramLabel = "PER_S",
            description = "fresh items/s offered during the backfill (default: half the pipeline's sustained rate)")
    double backfillRate;

    @Option(names = "--train-images", defaultValue = SHARED_FMNIST + "train-images-idx3-ubyte.gz", paramLabel = "IDX",
            description = "quality and sweep: labelled images streamed (default: ${DEFAULT-VALUE}; if missing, the"
                    + " first 80%% of --test-images)")
    Path trainImages;

    @Option(names = "--train-labels", defaultValue = SHARED_FMNIST + "train-labels-idx1-ubyte.gz", paramLabel = "IDX")
    Path trainLabels;

    @Option(names = "--test-images", defaultValue = FMNIST + "t10k-images-idx3-ubyte.gz", paramLabel = "IDX")
    Path testImages;

    @Option(names = "--test-labels", defaultValue = FMNIST + "t10k-labels-idx1-ubyte.gz", paramLabel = "IDX")
    Path testLabels;

    @Option(names = "--quality-items", defaultValue = "60000",
            description = "images streamed for quality, at most the training file's (default: ${DEFAULT-VALUE})")
    int qualityItems;

    @Option(names = "--quality-sentences", defaultValue = "20000",
            description = "Brown sentences streamed for quality (default: ${DEFAULT-VALUE})")
    int qualitySentences;

    @Option(names = "--quality-users", defaultValue = "2000",
            description = "synthetic users whose events are streamed for quality (default: ${DEFAULT-VALUE})")
    int qualityUsers;

    @Option(names = "--sweep-items", defaultValue = "8192",
            description = "images (or sentences) each sweep variant learns (default: ${DEFAULT-VALUE})")
    int sweepItems;

    /** The kinds whose demo data has labelled held-out items to score a sweep's variants on. */
    enum SweepKind { image, sentence }

    @Option(names = "--sweep-kind", defaultValue = "image", description = "what the sweep learns: ${COMPLETION-CANDIDATES}"
            + " (sentence: Brown sentences, scored on other documents' against TF-IDF; default: ${DEFAULT-VALUE})")
    SweepKind sweepKind;

    @Option(names = "--vary", paramLabel = "NAME=V1;V2", description = "sweep: vary this setting over these values"
            + " instead of the standard sweep (repeatable), e.g. --vary 'image.conv-channels=16,32;32,64'")
    List<String> vary = new ArrayList<>();

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", paramLabel = "FILE")
    Path out;

    // the CSV and the plots default to beside --out, which the report links them from by name: a run written
    // elsewhere must not overwrite the repository's own
    @Option(names = "--csv", paramLabel = "FILE", description = "every figure (default: benchmarks.csv beside --out)")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "the sweep's plot, its trade-off plot beside it (default: benchmarks-sweep.png beside --out)")
    Path plot;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "S", description = "give up a run after S seconds")
    int timeoutSeconds;

    /** Set on the child JVMs of the speed-ups section: one bare run in a fresh process, printed, nothing else. */
    @Option(names = SpeedupsSection.COLD_BARE_RUN, hidden = true)
    boolean coldBareRun;

    /** Set on the child JVMs of the speed-ups section: one timed pipeline run in a fresh process, printed. */
    @Option(names = SpeedupsSection.PIPELINE_RUN, hidden = true, paramLabel = "APPLICATION_ID")
    String pipelineRun;

    @Mixin
    SettingsOptions settingsOptions;

    private Settings settings;
    private List<Sweep.Variation> variations;

    /** The file given, else one of that name in the report's folder, where the report links it from. */
    static Path orBesideOut(Path given, Path out, String name) {
        return given != null ? given : out.resolveSibling(name);
    }

    @Override
    public Integer call() throws Exception {
        if (items < 2 || repeats < 1 || memoryItems < 10 || backfillItems < 2 || qualityItems < 2 || qualitySentences < 2
                || qualityUsers < 2 || sweepItems < 2 || latencySeconds < 1 || neighbourVectors < 11 || lookupItems < 1) {
            System.err.println("bench: --items, --repeats, --memory-items, --backfill-items, --quality-items,"
                    + " --sweep-items, --latency-seconds, --neighbours-vectors and --lookup-items must be positive (and"
                    + " large enough to train on)");
            return 2;
        }
        // This thread evaluates (quality, sweep) between the pipeline runs. Single-threaded in libtorch it starts
        // no OpenMP team of its own, and the trainer's stays the only one in the process, as in `run`.
        IntraOpThreads.setForThisThread(1);
        BenchRun run;
        try {
            settings = settingsOptions.load(Map.of(Settings.KINDS.name(), ImageKind.NAME, Settings.SEED.name(),
                    Long.toString(seed)));
            variations = vary.isEmpty() ? standardSweep() : vary.stream().map(v -> Sweep.parse(v, settings)).toList();
            if (variations.stream().anyMatch(v -> v.setting() == SentenceKind.SENTENCE_TOKENIZER)) {
                throw new IllegalArgumentException("the sweep decodes the sentences once, for every variant: set "
                        + SentenceKind.SENTENCE_TOKENIZER.name() + " with --set, not --vary");
            }
            run = new BenchRun(settings, images, BenchRun.loadImages(images, items), items, repeats, seed,
                    Duration.ofSeconds(timeoutSeconds));
        } catch (InvalidSettingsException | IllegalArgumentException | IOException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        if (coldBareRun) {
            System.out.println(SpeedupsSection.coldBareRun(run));
            return 0;
        }
        if (pipelineRun != null) {
            System.out.println(SpeedupsSection.pipelineRun(run, pipelineRun));
            return 0;
        }
        List<SectionReport> reports = new ArrayList<>();
        Path csv = orBesideOut(this.csv, out, "benchmarks.csv");
        Path plot = orBesideOut(this.plot, out, "benchmarks-sweep.png");
        reports.add(BenchHeader.report(settings, commandLineTail(), csv.getFileName().toString()));
        if (!EnumSet.of(Section.memory, Section.neighbours).containsAll(sections)) {
            // the memory run times nothing, and its learner is another JVM; neighbours time no pipeline
            run.warmUp(sections.contains(Section.throughput) || sections.contains(Section.latency));
        }
        OfferedRate rate = new OfferedRate(run);
        if (sections.contains(Section.throughput)) {
            reports.add(ThroughputSection.measure(run, rate));
        }
        if (sections.contains(Section.latency)) {
            reports.add(LatencySection.measure(run, rate, latencyRate, latencySeconds));
        }
        if (sections.contains(Section.memory)) {
            reports.add(MemorySection.measure(run, memoryItems, memoryLearnerHeap));
        }
        if (sections.contains(Section.backfill)) {
            reports.add(BackfillSection.measure(run, rate, backfillItems, backfillRate, BenchCommand::pinAnotherVersion));
        }
        if (sections.contains(Section.quality)) {
            reports.add(QualitySection.measure(run, List.of(
                    () -> scored(images(qualityItems, true)),
                    () -> scored(brown(qualitySentences)),
                    () -> scored(new EventDemo(qualityUsers, seed)))));
        }
        if (sections.contains(Section.sweep)) {
            reports.add(sweepKind == SweepKind.sentence ? SweepSection.measure(run, sentences(sweepItems), variations, plot)
                    : SweepSection.measure(run, images(sweepItems), variations, plot));
        }
        if (sections.contains(Section.speedups)) {
            reports.add(SpeedupsSection.measure(run, this::freshBench));
        }
        if (sections.contains(Section.neighbours)) {
            reports.add(NeighboursSection.measure(run, neighbourVectors, lookupItems));
        }
        BenchReport.write(reports, out, csv);
        System.out.printf("bench: wrote %s and %s%n", out, csv);
        return 0;
    }

    private String commandLineTail() {
        List<String> parts = new ArrayList<>();
        if (!sections.equals(EnumSet.allOf(Section.class))) {
            parts.add("--sections " + String.join(",", sections.stream().map(Enum::name).toList()));
        }
        if (sections.contains(Section.sweep) && sweepKind != SweepKind.image) {
            parts.add("--sweep-kind " + sweepKind);
        }
        if (sections.contains(Section.memory) && memoryItems != 1_000_000) {
            parts.add("--memory-items " + memoryItems);
        }
        if (sections.contains(Section.memory) && !"1g".equals(memoryLearnerHeap)) {
            parts.add("--memory-learner-heap '" + memoryLearnerHeap + "'");
        }
        return parts.isEmpty() ? "" : " " + String.join(" ", parts);
    }

    private List<Sweep.Variation> standardSweep() {
        String kind = sweepKind == SweepKind.sentence ? SentenceKind.NAME : ImageKind.NAME;
        long steps = LearnerTopology.replayPlan(settings.forKind(kind)).stepsToLearn(sweepItems);
        return sweepKind == SweepKind.sentence ? Sweep.standardSentences(steps, settings) : Sweep.standard(steps);
    }

    /** The sweep's images: scored by kNN and a linear probe on the held-out ones. */
    private SweepData<ImageTensor> images(int n) throws IOException {
        ImageDemo d = images(n, false);
        List<ImageTensor> train = d.trainImages();
        return new SweepData<>("images", ImageKind::new, d.trainIds(), train, d.testImages().size(),
                k -> new EncoderComparison<>(k, train, d.trainLabels(), d.testImages(), d.testLabels(), d.testIds(),
                        seed + 1, 200).withLinearProbe(new LinearProbe()), Map.of(), d.source());
    }

    /** The sweep's sentences: the quality section's Brown split, scored as the demo scores them. */
    private SweepData<List<String>> sentences(int n) throws IOException {
        SentenceDemo d = brown(n);
        SentenceKind tokens = new SentenceKind(settings.forKind(SentenceKind.NAME)); // every variant's tokenizer
        List<List<String>> train = d.trainTokens(tokens);
        List<List<String>> test = d.testTokens(tokens);
        return new SweepData<>("sentences", SentenceKind::new, d.trainIds(), train, d.testIds().size(),
                k -> new EncoderComparison<>(k, train, d.trainLabels(), test, d.testLabels(), d.testIds(),
                        seed + 1, 200).withLinearProbe(new LinearProbe()),
                Map.of("TF-IDF uni+bigrams", d.tfIdfKnn()), d.source());
    }

    private SentenceDemo brown(int n) throws IOException {
        return new SentenceDemo(Path.of("data/brown/brown-genre.tsv.gz"), "sentence", "fileid", "genre", n, seed);
    }

    /**
     * Labelled images: the first {@code n} of --train-images, held out: --test-images; without the training
     * file, the first 80% of --test-images, held out: its last 20%.
     */
    private ImageDemo images(int n, boolean fullEvaluation) throws IOException {
        return Files.exists(trainImages) && Files.exists(trainLabels)
                ? new ImageDemo(trainImages, trainLabels, testImages, testLabels, n, seed, fullEvaluation)
                : new ImageDemo(testImages, testLabels, null, null, n, seed, fullEvaluation);
    }

    /** A demo's data, scored as the demo scores its feed. */
    private static QualityScenario scored(DemoScenario demo) {
        return new QualityScenario() {
            @Override
            public String kind() {
                return demo.kind();
            }

            @Override
            public String describe() {
                return demo.describe();
            }

            @Override
            public List<RawItem> trainingItems() {
                return demo.trainingItems();
            }

            @Override
            public Map<String, String> settingDefaults() {
                return demo.settingDefaults();
            }

            @Override
            public EvalReport evaluateFeed(Settings pipelineSettings, long trainerStep, Duration timeout) {
                return DemoCommand.evaluateFeed(pipelineSettings, demo, trainerStep, timeout);
            }
        };
    }

    /**
     * Pins, as `promote --version` does, a version that the catalogue is not on, so that every entry is
     * re-embedded. Only once the served version is complete on every partition: then every entry is on it. The
     * version pinned is v0, the untrained encoder, when a trained one is served (the oldest left, should
     * compaction have removed v0), else the newest.
     */
    private static OptionalLong pinAnotherVersion(BenchPipeline p, LongPredicate complete) throws Exception {
        Map<String, Object> connection = p.settings().kafkaClientProperties();
        String topic = p.settings().get(Settings.TOPIC_MODELS);
        ModelRegistry registry = ModelRegistry.read(connection, topic, ImageKind.NAME);
        long served = registry.served(ImageKind.NAME).map(ModelSnapshot::getVersion).orElse(-1L);
        // with v0 served, the first trained snapshot may still be in the trainer's open transaction
        List<ModelSnapshot> others = registry.candidates().stream().filter(c -> c.getVersion() != served).toList();
        if (served < 0 || !complete.test(served) || others.isEmpty()) {
            return OptionalLong.empty();
        }
        ModelSnapshot pinned = served > 0 ? others.get(0) : others.get(others.size() - 1);
        PromoteCommand.writePin(connection, topic, ImageKind.NAME, pinned, "pinned by bench to time a backfill");
        return OptionalLong.of(pinned.getVersion());
    }

    /** `bench` in a fresh JVM of this jar, with the user's settings, wherever they came from. */
    private List<String> freshBench(List<String> jvmOptions, List<String> benchArgs) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench"));
        command.addAll(benchArgs);
        for (Setting<?> setting : settings.all()) {
            if (!"default".equals(settings.source(setting))) {
                command.addAll(List.of("--set", setting.name() + "=" + settings.text(setting)));
            }
        }
        if (settingsOptions.config != null) { // Kafka's client security settings are not settings of ours
            command.addAll(List.of("--config", settingsOptions.config.toString()));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the fresh JVM of the speed-ups section failed (exit " + p.exitValue()
                    + "); its last lines:\n" + String.join("\n", output.subList(Math.max(0, output.size() - 20),
                    output.size())));
        }
        return output;
    }
}
