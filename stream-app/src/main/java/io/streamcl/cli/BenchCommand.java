package io.streamcl.cli;

import ai.djl.ndarray.types.Shape;
import io.streamcl.ingest.ImageTensor;
import io.streamcl.bench.BackfillProbe;
import io.streamcl.bench.BareLoop;
import io.streamcl.bench.BenchPipeline;
import io.streamcl.bench.CpuByThread;
import io.streamcl.bench.LatencyProbe;
import io.streamcl.bench.MemoryProbe;
import io.streamcl.bench.Percentiles;
import io.streamcl.bench.PoolingProbe;
import io.streamcl.bench.Sweep;
import io.streamcl.bench.SweepPlot;
import io.streamcl.bench.Throughput;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.eval.EvalReport;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.DemoScenario;
import io.streamcl.kind.EventDemo;
import io.streamcl.kind.ImageDemo;
import io.streamcl.kind.ImageKind;
import io.streamcl.kind.SentenceDemo;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.learn.IntraOpThreads;
import io.streamcl.learn.NativeAllocator;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.LearnerTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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
    private static final String COLD_RESULT = "cold-bare-run:";
    /** The trainer's backlog in the memory and backfill runs: small, so that it samples from early on. */
    private static final int SAMPLED_BACKLOG = 1024;
    private static final String TRAINER_GROUP = Throughput.TRAINER;
    private static final String JAVA_HEAP = "Java Heap";
    /** The categories of the JVM's summary that are shown; the others are summed as the rest. */
    private static final List<String> NMT_CATEGORIES = List.of(JAVA_HEAP, "Class", "Thread", "Code", "GC", "Compiler",
            "Internal", "Other", "Symbol");

    enum Section { throughput, latency, memory, backfill, quality, sweep, speedups }

    @Option(names = "--sections", split = ",", defaultValue = "throughput,latency,memory,backfill,quality,sweep,speedups",
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

    @Option(names = "--sweep-items", defaultValue = "8192", description = "images each sweep variant learns (default: ${DEFAULT-VALUE})")
    int sweepItems;

    @Option(names = "--out", defaultValue = "BENCHMARKS.md", paramLabel = "FILE")
    Path out;

    @Option(names = "--csv", defaultValue = "benchmarks.csv", paramLabel = "FILE")
    Path csv;

    @Option(names = "--plot", defaultValue = "benchmarks-sweep.png", paramLabel = "FILE")
    Path plot;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--timeout", defaultValue = "1800", paramLabel = "S", description = "give up a run after S seconds")
    int timeoutSeconds;

    /** Set on the child JVMs of the speed-ups section: one bare run in a fresh process, printed, nothing else. */
    @Option(names = "--cold-bare-run", hidden = true)
    boolean coldBareRun;

    @Mixin
    SettingsOptions settingsOptions;

    private final BenchReport report = new BenchReport();
    private Settings settings;
    private ImageKind kind;
    private List<RawItem> pool;
    private double pipelineSustained = Double.NaN;

    @Override
    public Integer call() throws Exception {
        if (items < 2 || repeats < 1 || memoryItems < 10 || backfillItems < 2 || qualityItems < 2 || qualitySentences < 2
                || qualityUsers < 2 || sweepItems < 2 || latencySeconds < 1) {
            System.err.println("bench: --items, --repeats, --memory-items, --backfill-items, --quality-items,"
                    + " --sweep-items and --latency-seconds must be positive (and large enough to train on)");
            return 2;
        }
        // This thread evaluates (quality, sweep) between the pipeline runs. Single-threaded in libtorch it starts
        // no OpenMP team of its own, and the trainer's stays the only one in the process, as in `run`.
        IntraOpThreads.setForThisThread(1);
        try {
            settings = settingsOptions.load(Map.of(Settings.KINDS.name(), ImageKind.NAME, Settings.SEED.name(),
                    Long.toString(seed)));
            pool = loadImages(images, Math.max(items, 1));
        } catch (InvalidSettingsException | IOException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        kind = new ImageKind(settings);
        if (coldBareRun) {
            BareLoop.Result r = bare(settings, pool.subList(0, items));
            System.out.printf(java.util.Locale.ROOT, "%s %.3f %.3f%n", COLD_RESULT, r.sustainedItemsPerSecond(),
                    r.phases()[BareLoop.PHASES.indexOf("backward")]);
            return 0;
        }
        header();
        warmUp();
        if (sections.contains(Section.throughput)) {
            throughput();
        }
        if (sections.contains(Section.latency)) {
            latency();
        }
        if (sections.contains(Section.memory)) {
            memory();
        }
        if (sections.contains(Section.backfill)) {
            backfill();
        }
        if (sections.contains(Section.quality)) {
            quality();
        }
        if (sections.contains(Section.sweep)) {
            sweep();
        }
        if (sections.contains(Section.speedups)) {
            speedups();
        }
        report.write(out, csv);
        System.out.printf("bench: wrote %s and %s%n", out, csv);
        return 0;
    }

    private void header() {
        report.text("# Benchmarks\n\nWritten by `java -jar stream-app/target/stream-app.jar bench%s` on %s, in %s.\n",
                commandLineTail(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "one run of that command");
        report.text("Every figure below comes from that run; `%s` beside this file has each of them.\n\n",
                csv.getFileName());
        report.text("Machine: %d cores, %s %s, Java %s, device `%s`, native allocator tuning %s.\n\n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                System.getProperty("java.version"), settings.get(Settings.DEVICE),
                NativeAllocator.enabled() ? "on" : "off");
        report.text("Settings (image kind unless said): method %s, batch %d, bank %d, temperature %s, replay %dx (each"
                        + " item is learned %d times), CNN channels %s, embedding %d, projection %d, %d stream threads,"
                        + " %s.%n", settings.get(Settings.METHOD), settings.get(Settings.BATCH_SIZE),
                settings.get(Settings.BANK_SIZE), settings.text(Settings.TEMPERATURE), settings.get(Settings.REPLAY_UPDATES),
                settings.get(Settings.REPLAY_UPDATES), settings.text(ImageKind.IMAGE_CONV_CHANNELS),
                settings.get(Settings.EMBEDDING_DIM), settings.get(Settings.PROJECTION_DIM),
                settings.get(Settings.STREAM_THREADS), settings.get(Settings.PROCESSING_GUARANTEE));
    }

    private String commandLineTail() {
        List<String> parts = new ArrayList<>();
        if (!sections.equals(EnumSet.allOf(Section.class))) {
            parts.add("--sections " + String.join(",", sections.stream().map(Enum::name).toList()));
        }
        if (sections.contains(Section.memory) && memoryItems != 1_000_000) {
            parts.add("--memory-items " + memoryItems);
        }
        if (sections.contains(Section.memory) && !"1g".equals(memoryLearnerHeap)) {
            parts.add("--memory-learner-heap '" + memoryLearnerHeap + "'");
        }
        return parts.isEmpty() ? "" : " " + String.join(" ", parts);
    }

    /** Untimed runs of both loops, so that no timed run pays for the JIT (Kafka's code as much as the trainer's). */
    private void warmUp() throws InvalidItemException, InterruptedException {
        if (sections.equals(EnumSet.of(Section.memory))) {
            return; // the memory run times nothing, and its learner is another JVM
        }
        System.out.printf("bench: warm-up (a bare loop on %d images, not timed)%n", items);
        bare(settings, pool.subList(0, items));
        if (sections.contains(Section.throughput) || sections.contains(Section.latency)) {
            System.out.printf("bench: warm-up (the pipeline on %d images, not timed)%n", items);
            Throughput.pipeline(settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items))),
                    ImageKind.NAME, pool.subList(0, items), "streamcl-bench-warm-up", Duration.ofSeconds(timeoutSeconds),
                    x -> { });
        }
    }

    /** The loop's thread has ended by now, so {@link CpuByThread} counted its time as native: moved back. */
    private static Map<String, Double> withLoopThread(Map<String, Double> cores, double loopThread) {
        Map<String, Double> out = new LinkedHashMap<>(cores);
        out.merge(CpuByThread.NATIVE, -loopThread, Double::sum);
        out.put(TRAINER_GROUP, loopThread);
        return out;
    }

    private BareLoop.Result bare(Settings s, List<RawItem> raw) throws InvalidItemException {
        ImageKind k = new ImageKind(s);
        List<ImageTensor> decoded = new ArrayList<>(raw.size());
        for (RawItem r : raw) {
            decoded.add(k.decode(r));
        }
        return BareLoop.run(k, () -> ComputeDevice.resolve(s.get(Settings.DEVICE))
                .trainer(k.encoderSpec(), LearnerTopology.trainerConfig(s), null, 0), LearnerTopology.replayPlan(s),
                raw.stream().map(RawItem::getId).toList(), decoded);
    }

    private void throughput() throws InterruptedException, InvalidItemException {
        // every image is learned in full, as in the bare loop: the whole run may wait for the trainer
        Settings s = settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items)));
        List<RawItem> raw = pool.subList(0, items);
        List<BareLoop.Result> bare = new ArrayList<>();
        List<Throughput.Result> pipeline = new ArrayList<>();
        List<Map<String, Double>> bareCores = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) { // alternated, so that drift of the machine hits both alike
            System.out.printf("bench: throughput run %d of %d: bare loop, %d images%n", r, repeats, items);
            CpuByThread cpu = new CpuByThread(thread -> "other Java threads");
            cpu.start();
            long t0 = System.nanoTime();
            BareLoop.Result b = bare(s, raw);
            bareCores.add(withLoopThread(cpu.stop(), b.threadCpuSeconds() / ((System.nanoTime() - t0) / 1e9)));
            bare.add(b);
            System.out.printf("bench: bare loop %.1f items/s sustained (%d steps in %.1f s)%n",
                    b.sustainedItemsPerSecond(), b.steps(), b.seconds());
            System.out.printf("bench: throughput run %d of %d: pipeline, %d images%n", r, repeats, items);
            Throughput.Result p = Throughput.pipeline(s, ImageKind.NAME, raw, "streamcl-bench-" + r,
                    Duration.ofSeconds(timeoutSeconds), x -> { });
            pipeline.add(p);
            System.out.printf("bench: pipeline %.1f items/s sustained (%d steps in %.1f s, first step at %.1f s)%n",
                    p.sustainedItemsPerSecond(), p.steps(), p.seconds(), p.firstStepAt());
            System.out.println("bench: cores used while training: " + p.cores());
            System.out.println("bench: bare loop's cores: " + bareCores.get(bareCores.size() - 1));
        }
        report.heading("Throughput: the pipeline against a bare training loop");
        report.text("- **bare loop**: the same kind, encoder, Adam, replay and augmentation, fed from memory on one"
                + " thread, no Kafka.%n- **pipeline**: the same %d images produced to an in-JVM broker at once; decoded,"
                + " routed, trained on the trainer's own thread, snapshotted, embedded and published, exactly-once.%n"
                + "- **sustained**: items learned per second from the end of the first training step to the end of"
                + " the last (what a stream that never stops gets); **end to end** adds the start-up, from the first"
                + " item sent until every item is embedded, learned and its model published.%n%n", items);
        List<List<String>> rows = new ArrayList<>();
        double[] bareRates = new double[repeats];
        double[] pipeRates = new double[repeats];
        double[] pipeEnd = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            String run = "run " + (r + 1);
            bareRates[r] = report.figure("throughput", "bare " + run, "items_per_second_sustained",
                    bare.get(r).sustainedItemsPerSecond());
            pipeRates[r] = report.figure("throughput", "pipeline " + run, "items_per_second_sustained",
                    pipeline.get(r).sustainedItemsPerSecond());
            pipeEnd[r] = report.figure("throughput", "pipeline " + run, "items_per_second_end_to_end",
                    pipeline.get(r).itemsPerSecond());
            report.figure("throughput", "pipeline " + run, "first_step_seconds", pipeline.get(r).firstStepAt());
            rows.add(List.of(Integer.toString(r + 1), BenchReport.f1(bareRates[r]), BenchReport.f1(pipeRates[r]),
                    BenchReport.f1(pipeEnd[r]), BenchReport.f1(pipeline.get(r).firstStepAt())));
        }
        double bareMedian = report.figure("throughput", "bare", "median_items_per_second", Percentiles.median(bareRates));
        pipelineSustained = report.figure("throughput", "pipeline", "median_items_per_second",
                Percentiles.median(pipeRates));
        rows.add(List.of("**median**", "**" + BenchReport.f1(bareMedian) + "**",
                "**" + BenchReport.f1(pipelineSustained) + "**", "**" + BenchReport.f1(Percentiles.median(pipeEnd)) + "**",
                ""));
        report.table(List.of("run", "bare loop, sustained (items/s)", "pipeline, sustained (items/s)",
                "pipeline, end to end (items/s)", "pipeline: first step after (s)"), rows);
        double ratio = report.figure("throughput", "pipeline / bare", "ratio", pipelineSustained / bareMedian);
        report.text("Pipeline / bare loop, sustained: **%.2f** (target: 0.8 or more).%n%n", ratio);
        report.text("Where a step's time goes: ms per step, the bare loop's median and the pipeline trainer's mean"
                + " over each run's steps (batch %d):%n%n", settings.get(Settings.BATCH_SIZE));
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(BareLoop.PHASES);
        List<List<String>> phaseRows = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            phaseRows.add(phaseRow("bare run " + (r + 1), bare.get(r).phases()));
            phaseRows.add(phaseRow("pipeline run " + (r + 1), pipeline.get(r).phases()));
        }
        report.table(header, phaseRows);
        report.text("CPU cores each group of threads kept busy while training (CPU seconds per second, of %d;"
                + " libtorch's worker threads are not Java threads and count under \"%s\"):%n%n",
                Runtime.getRuntime().availableProcessors(), CpuByThread.NATIVE);
        List<String> groups = new ArrayList<>();
        pipeline.forEach(p -> p.cores().keySet().forEach(g -> {
            if (!groups.contains(g)) {
                groups.add(g);
            }
        }));
        List<String> coreHeader = new ArrayList<>(List.of("run"));
        coreHeader.addAll(groups);
        coreHeader.add("all");
        List<List<String>> coreRows = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            coreRows.add(coreRow("bare run " + (r + 1), bareCores.get(r), groups));
            coreRows.add(coreRow("pipeline run " + (r + 1), pipeline.get(r).cores(), groups));
        }
        report.table(coreHeader, coreRows);
        double bareTraining = Percentiles.median(bareCores.stream().mapToDouble(BenchCommand::trainingCores).toArray());
        double pipeTraining = Percentiles.median(pipeline.stream().mapToDouble(p -> trainingCores(p.cores())).toArray());
        double pipeAll = Percentiles.median(pipeline.stream().mapToDouble(p -> p.cores().values().stream()
                .mapToDouble(Double::doubleValue).sum()).toArray());
        report.text("Medians: the bare loop's training keeps **%.2f** cores busy; in the pipeline, training (its thread"
                        + " and the native workers) gets **%.2f**, the rest of the process %.2f, and %.2f of the %d cores"
                        + " stay idle although the trainer always has work.%n%n",
                report.figure("throughput cores", "bare", "training_median", bareTraining),
                report.figure("throughput cores", "pipeline", "training_median", pipeTraining),
                report.figure("throughput cores", "pipeline", "rest_median", pipeAll - pipeTraining),
                report.figure("throughput cores", "pipeline", "idle_median",
                        Runtime.getRuntime().availableProcessors() - pipeAll), Runtime.getRuntime().availableProcessors());
    }

    /** Cores the training used: its thread, and libtorch's workers (with GC and JIT, which cannot be told apart). */
    private static double trainingCores(Map<String, Double> cores) {
        return cores.getOrDefault(TRAINER_GROUP, 0.0) + cores.getOrDefault(CpuByThread.NATIVE, 0.0);
    }

    private List<String> phaseRow(String subject, double[] phases) {
        List<String> cells = new ArrayList<>(List.of(subject));
        for (int k = 0; k < BareLoop.PHASES.size(); k++) {
            cells.add(BenchReport.f1(report.figure("throughput", subject, BareLoop.PHASES.get(k) + "_ms", phases[k])));
        }
        return cells;
    }

    private List<String> coreRow(String subject, Map<String, Double> cores, List<String> groups) {
        List<String> cells = new ArrayList<>(List.of(subject));
        for (String g : groups) {
            cells.add(BenchReport.f2(report.figure("throughput cores", subject, g, cores.getOrDefault(g, 0.0))));
        }
        cells.add(BenchReport.f2(report.figure("throughput cores", subject, "all",
                cores.values().stream().mapToDouble(Double::doubleValue).sum())));
        return cells;
    }

    /**
     * The rate fresh items are offered at: as given, else half the pipeline's sustained rate, measured here
     * once if the throughput section did not run.
     */
    private double offeredRate(double given) throws InterruptedException {
        if (given > 0) {
            return given;
        }
        if (!(pipelineSustained > 0)) {
            System.out.println("bench: measuring the pipeline's sustained rate first (half of it is offered)");
            Settings s = settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items)));
            pipelineSustained = Throughput.pipeline(s, ImageKind.NAME, pool.subList(0, items), "streamcl-bench-rate",
                    Duration.ofSeconds(timeoutSeconds), x -> { }).sustainedItemsPerSecond();
        }
        return pipelineSustained / 2;
    }

    private void latency() throws InterruptedException {
        double rate = offeredRate(latencyRate);
        System.out.printf("bench: latency at %.0f items/s for %d s (after a 10 s warm-up)%n", rate, latencySeconds);
        LatencyProbe.Result r = LatencyProbe.run(settings, "streamcl-bench-latency", pool, rate, Duration.ofSeconds(10),
                Duration.ofSeconds(latencySeconds));
        report.heading("Latency: from produce to a readable embedding");
        report.text("Images offered at a fixed %.0f items/s (half the pipeline's sustained rate%s), training on, for"
                        + " %d s after a 10 s warm-up. Clock: from handing the item to the producer to a `read_committed`"
                        + " consumer of `embeddings` receiving it (producer linger, broker, decode, the embedder's"
                        + " batching, the exactly-once commit: `embed.linger.ms` %d, commit interval 100 ms).%n%n",
                report.figure("latency", "offered", "items_per_second", rate),
                latencyRate > 0 ? ", or as given" : "", latencySeconds, settings.get(Settings.EMBED_LINGER_MS));
        report.table(List.of("items timed", "p50 (ms)", "p99 (ms)", "max (ms)"), List.of(List.of(
                Integer.toString(r.measured()),
                BenchReport.f1(report.figure("latency", "produce to embedding", "p50_ms", r.percentile(50))),
                BenchReport.f1(report.figure("latency", "produce to embedding", "p99_ms", r.percentile(99))),
                BenchReport.f1(report.figure("latency", "produce to embedding", "max_ms", r.max())))));
        report.text("Target: p99 at most 500 ms.%n");
        System.out.printf("bench: latency p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d items%n", r.percentile(50),
                r.percentile(99), r.max(), r.measured());
    }

    private void memory() throws InterruptedException, IOException {
        long first = memoryItems / 10;
        long[] at = {first, memoryItems / 4, memoryItems / 2, memoryItems * 3L / 4, memoryItems};
        Path log = Files.createTempFile("streamcl-bench-learner-", ".log");
        System.out.printf("bench: memory over %d images, the learner in a process of its own (its log: %s)%n",
                memoryItems, log);
        // a bounded queue filling up is not a leak: let the trainer start sampling long before the first sample
        Settings s = settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Long.toString(SAMPLED_BACKLOG)));
        List<MemoryProbe.Sample> samples = MemoryProbe.run(s, "streamcl-bench-memory", memoryLearnerHeap, pool, at,
                Duration.ofSeconds(timeoutSeconds), log);
        report.heading("Memory: flat as items keep coming");
        report.text("%d images streamed (the %d of `%s` cycled under fresh ids) as fast as the learner embeds them,"
                        + " training on; `replay.max-backlog` is %d, so the trainer samples from early on and its queue of"
                        + " waiting images stops growing before the first sample. The learner (`run`) is a process of its"
                        + " own, started with `-XX:NativeMemoryTracking=summary` and %s; the broker and the producer are in"
                        + " bench's. Items are counted when their embedding is readable (distinct ids on `%s`,"
                        + " `read_committed`). Resident set and threads from /proc, read first, as the learner runs (a"
                        + " full collection would shrink G1's committed heap); then its live heap after a full collection"
                        + " (JMX); the JVM's committed memory from `VM.native_memory summary`; **outside the JVM** is the"
                        + " resident set less that: native libraries' own memory (libtorch, RocksDB) and the"
                        + " allocator's; RocksDB's from Kafka Streams' metrics (memtables + block cache + table readers,"
                        + " summed over its stores); the state directory on disk.%n%n", memoryItems, pool.size(), images,
                SAMPLED_BACKLOG, memoryLearnerHeap.isBlank() ? "the JVM's default heap limit (a quarter of RAM)"
                        : "`-Xmx" + memoryLearnerHeap.strip() + "`", s.get(Settings.TOPIC_EMBEDDINGS));
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> jvmRows = new ArrayList<>();
        List<List<String>> rocksRows = new ArrayList<>();
        for (MemoryProbe.Sample m : samples) {
            rows.add(memoryRow(m));
            jvmRows.add(jvmRow(m));
            rocksRows.add(rocksDbRow(m));
        }
        report.table(List.of("items", "resident (MiB)", "live heap (MiB)", "JVM committed (MiB)",
                "outside the JVM (MiB)", "RocksDB (MiB)", "state dir (MiB)", "threads"), rows);
        List<String> jvmHeader = new ArrayList<>(List.of("items"));
        NMT_CATEGORIES.forEach(c -> jvmHeader.add(c + " (MiB)"));
        jvmHeader.add("rest (MiB)");
        report.text("The JVM's committed memory by category (`VM.native_memory summary`):%n%n");
        report.table(jvmHeader, jvmRows);
        report.text("RocksDB's memory (Kafka Streams' `stream-state-metrics`):%n%n");
        report.table(List.of("items", "memtables (MiB)", "block cache (MiB)", "table readers (MiB)", "stores"),
                rocksRows);
        MemoryProbe.Sample a = samples.get(0);
        MemoryProbe.Sample b = samples.get(samples.size() - 1);
        report.text("From %d to %d items: resident **%+.1f%%**, live heap **%+.1f%%** (target: within 15%%). Of the"
                        + " resident set's %+.0f MiB: Java heap committed %+.0f, the JVM's other categories %+.0f, RocksDB"
                        + " %+.0f, the rest outside the JVM (libtorch, the allocator) %+.0f; threads %+d.%n",
                a.items(), b.items(),
                report.figure("memory", "growth", "resident_percent", 100.0 * (b.residentBytes() - a.residentBytes())
                        / a.residentBytes()),
                report.figure("memory", "growth", "heap_percent", 100.0 * (b.heapBytes() - a.heapBytes()) / a.heapBytes()),
                mib(b.residentBytes() - a.residentBytes()),
                report.figure("memory", "growth", "java_heap_committed_mib",
                        mib(b.jvm().committed(JAVA_HEAP) - a.jvm().committed(JAVA_HEAP))),
                report.figure("memory", "growth", "jvm_other_mib", mib(b.jvm().committedBytes() - b.jvm().committed(JAVA_HEAP)
                        - a.jvm().committedBytes() + a.jvm().committed(JAVA_HEAP))),
                report.figure("memory", "growth", "rocksdb_mib", mib(b.rocksDb().totalBytes() - a.rocksDb().totalBytes())),
                report.figure("memory", "growth", "outside_jvm_not_rocksdb_mib",
                        mib(b.outsideJvmBytes() - b.rocksDb().totalBytes() - a.outsideJvmBytes()
                                + a.rocksDb().totalBytes())),
                b.process().threads() - a.process().threads());
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private List<String> memoryRow(MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        return List.of(Long.toString(m.items()),
                BenchReport.f1(report.figure("memory", subject, "resident_mib", mib(m.residentBytes()))),
                BenchReport.f1(report.figure("memory", subject, "heap_mib", mib(m.heapBytes()))),
                BenchReport.f1(report.figure("memory", subject, "jvm_committed_mib", mib(m.jvm().committedBytes()))),
                BenchReport.f1(report.figure("memory", subject, "outside_jvm_mib", mib(m.outsideJvmBytes()))),
                BenchReport.f1(report.figure("memory", subject, "rocksdb_mib", mib(m.rocksDb().totalBytes()))),
                BenchReport.f1(report.figure("memory", subject, "state_dir_mib", mib(m.stateDirBytes()))),
                Long.toString((long) report.figure("memory", subject, "threads", m.process().threads())));
    }

    private List<String> jvmRow(MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        List<String> cells = new ArrayList<>(List.of(Long.toString(m.items())));
        long rest = m.jvm().committedBytes();
        for (String c : NMT_CATEGORIES) {
            rest -= m.jvm().committed(c);
            cells.add(BenchReport.f1(report.figure("memory jvm", subject, c + "_mib", mib(m.jvm().committed(c)))));
        }
        cells.add(BenchReport.f1(report.figure("memory jvm", subject, "rest_mib", mib(rest))));
        return cells;
    }

    private List<String> rocksDbRow(MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        return List.of(Long.toString(m.items()),
                BenchReport.f1(report.figure("memory rocksdb", subject, "memtables_mib", mib(m.rocksDb().memtableBytes()))),
                BenchReport.f1(report.figure("memory rocksdb", subject, "block_cache_mib",
                        mib(m.rocksDb().blockCacheBytes()))),
                BenchReport.f1(report.figure("memory rocksdb", subject, "table_readers_mib",
                        mib(m.rocksDb().tableReaderBytes()))),
                Integer.toString(m.rocksDb().stores()));
    }

    private void backfill() throws Exception {
        double rate = offeredRate(backfillRate);
        System.out.printf("bench: backfill of %d images, fresh images at %.0f items/s meanwhile%n", backfillItems, rate);
        // the gate promotes nothing during the load (v0 stays served), so the pin comes while the trainer is still
        // learning from it: the backfill is timed beside training
        Settings s = settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Long.toString(SAMPLED_BACKLOG),
                Settings.PROMOTION_INTERVAL_MS.name(), Integer.toString(3_600_000)));
        BackfillProbe.Result r = BackfillProbe.run(s, "streamcl-bench-backfill", ImageKind.NAME, pool, backfillItems,
                rate, BenchCommand::pinAnotherVersion, Duration.ofSeconds(timeoutSeconds));
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
                backfillItems, pool.size(), images, SAMPLED_BACKLOG, r.version(), r.version(),
                report.figure("backfill", "fresh items", "offered_items_per_second", rate),
                backfillRate > 0 ? "as given" : "half the pipeline's sustained rate", r.version(), backfillItems,
                backfillRate > 0 ? String.format(java.util.Locale.ROOT, " --backfill-rate %s", backfillRate) : "");
        report.table(List.of("items streamed", "re-embedded", "in the catalogues after", "backfill (s)",
                "backfill (items/s)", "training steps/s"), List.of(List.of(
                Integer.toString(r.items()),
                Long.toString((long) report.figure("backfill", "catalogue", "reembedded", r.reembedded())),
                Long.toString((long) report.figure("backfill", "catalogue", "catalogued", r.catalogued())),
                BenchReport.f1(report.figure("backfill", "catalogue", "seconds", r.seconds())),
                BenchReport.f1(report.figure("backfill", "catalogue", "items_per_second", r.itemsPerSecond())),
                BenchReport.f2(report.figure("backfill", "trainer", "steps_per_second", r.stepsPerSecond())))));
        LatencyProbe.Result fresh = r.fresh();
        report.table(List.of("fresh items timed", "p50 (ms)", "p99 (ms)", "max (ms)"), List.of(List.of(
                Long.toString((long) report.figure("backfill", "fresh items", "timed", fresh.measured())),
                BenchReport.f1(report.figure("backfill", "fresh items", "p50_ms", fresh.percentile(50))),
                BenchReport.f1(report.figure("backfill", "fresh items", "p99_ms", fresh.percentile(99))),
                BenchReport.f1(report.figure("backfill", "fresh items", "max_ms", fresh.max())))));
        report.text("Target: p99 of the fresh items at most 500 ms during the backfill.%n");
        System.out.printf("bench: backfill of %d entries to v%d in %.1f s (%.0f items/s, %.2f training steps/s); fresh"
                        + " items p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d%n", r.reembedded(), r.version(),
                r.seconds(), r.itemsPerSecond(), r.stepsPerSecond(), fresh.percentile(50), fresh.percentile(99),
                fresh.max(), fresh.measured());
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

    private void quality() throws Exception {
        report.heading("Quality: what is learned, against the baselines");
        report.text("Each kind streamed through the whole pipeline (in-JVM broker, exactly-once), learned in full"
                + " (`replay.max-backlog` = the stream's length). Once the feed has converged, the embeddings topic"
                + " itself and its served model are scored against the untrained model (version 0) and the kind's"
                + " baselines.%n%n");
        List<List<String>> rates = new ArrayList<>();
        rates.add(quality(images(qualityItems, true)));
        rates.add(quality(new SentenceDemo(Path.of("data/brown/brown-genre.tsv.gz"), "sentence", "fileid", "genre",
                qualitySentences, seed)));
        rates.add(quality(new EventDemo(qualityUsers, seed)));
        report.text("Throughput of each kind through the pipeline in these runs:%n%n");
        report.table(List.of("kind", "items", "sustained (items/s)", "end to end (items/s)", "training steps/s"), rates);
    }

    /** Streams one scenario through a fresh pipeline and scores it; returns its throughput row. */
    private List<String> quality(DemoScenario scenario) throws Exception {
        List<RawItem> training = scenario.trainingItems();
        Map<String, String> s = new java.util.LinkedHashMap<>(scenario.settingDefaults());
        s.remove(Settings.REPLAY_UPDATES.name()); // the bench learns with the product's setting, not the demo's
        s.put(Settings.KINDS.name(), scenario.kind());
        s.put(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(training.size()));
        Settings runSettings = settings.with(s);
        System.out.printf("bench: quality, %s: %s%n", scenario.kind(), scenario.describe());
        EvalReport[] evaluation = new EvalReport[1];
        Throughput.Result t = Throughput.pipeline(runSettings, scenario.kind(), training,
                "streamcl-bench-quality-" + scenario.kind(), Duration.ofSeconds(timeoutSeconds), p -> {
                    evaluation[0] = DemoCommand.evaluateFeed(p.settings(), scenario, p.metrics().trainerStep(scenario.kind()),
                            Duration.ofSeconds(timeoutSeconds));
                });
        System.out.println(evaluation[0].toText());
        report.text("**%s** (%s):%n%n", scenario.kind(), scenario.describe());
        report.evaluation("quality " + scenario.kind(), evaluation[0]);
        String subject = scenario.kind();
        return List.of(scenario.kind(), Integer.toString(training.size()),
                BenchReport.f1(report.figure("quality throughput", subject, "items_per_second_sustained",
                        t.sustainedItemsPerSecond())),
                BenchReport.f1(report.figure("quality throughput", subject, "items_per_second_end_to_end",
                        t.itemsPerSecond())),
                BenchReport.f1(report.figure("quality throughput", subject, "steps_per_second",
                        (t.steps() - 1) / t.stepWindow())));
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

    private void sweep() throws IOException {
        ImageDemo data = images(sweepItems, false);
        List<ImageTensor> train = data.trainImages();
        List<ImageTensor> test = data.testImages();
        int n = train.size();
        Sweep<ImageTensor> sweep = new Sweep<>(ImageKind::new, data.trainIds(), train,
                k -> new EncoderComparison<>(k, train, data.trainLabels(), test, data.testLabels(), data.testIds(),
                        seed + 1, 200),
                ComputeDevice.resolve(settings.get(Settings.DEVICE)));
        System.out.printf("bench: sweep, each variant learns %d images%n", n);
        List<Sweep.Point> points = sweep.run(settings, Sweep.STANDARD, p -> System.out.printf(
                "bench: sweep %s = %s: kNN %.3f, %.1f items/s%n", p.label(), p.value(), p.knn(),
                p.run().sustainedItemsPerSecond()));
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
            rows.add(List.of(p.label(), p.value(), BenchReport.f3(knn), BenchReport.f3(aug), BenchReport.f3(uni),
                    BenchReport.f1(rate)));
            plotted.add(new SweepPlot.Point(p.label(), p.value(), knn, rate));
        }
        report.table(List.of("setting", "value", "kNN clean", "kNN augmented", "uniformity", "items/s (sustained)"),
                rows);
        SweepPlot.write(plotted, plot);
        report.text("![kNN accuracy and items/s by setting](%s)%n", plot.getFileName());
    }

    /**
     * What the speed-ups bought. The allocator's is a fresh process's first minutes, so it is measured in
     * fresh JVMs of this same jar, each running one bare loop, with and without the tuning, alternately.
     */
    private void speedups() throws IOException, InterruptedException {
        report.heading("Speed-ups, and what each bought");
        List<List<String>> rows = new ArrayList<>();
        double[][] rate = new double[2][repeats];
        double[][] backward = new double[2][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int tuned = 0; tuned < 2; tuned++) {
                System.out.printf("bench: speed-ups run %d of %d: a fresh JVM, allocator tuning %s%n", r + 1, repeats,
                        tuned == 1 ? "on" : "off");
                double[] cold = coldBare(tuned == 1);
                rate[tuned][r] = cold[0];
                backward[tuned][r] = cold[1];
            }
        }
        for (int tuned = 0; tuned < 2; tuned++) {
            String subject = "fresh JVM, allocator tuning " + (tuned == 1 ? "on" : "off");
            rows.add(List.of(tuned == 1 ? "on" : "off",
                    BenchReport.f1(report.figure("speedups", subject, "median_items_per_second_sustained",
                            Percentiles.median(rate[tuned]))),
                    BenchReport.f1(report.figure("speedups", subject, "median_backward_ms",
                            Percentiles.median(backward[tuned])))));
        }
        report.text("**Native allocator tuning** (`NativeAllocator`: glibc `mallopt` at start, so that libtorch's"
                + " step-sized buffers stay in the heap instead of being mapped, page-faulted and unmapped on every"
                + " step). The first %d images a fresh process learns, in a bare loop, medians of %d fresh JVMs each"
                + " (`-Dstreamcl.malloc.tune=false` turns it off):%n%n", items, repeats);
        report.table(List.of("tuning", "items/s (sustained)", "backward (ms per step)"), rows);
        report.text("It buys **%.1fx** in the first minutes of every process, trainer or bare loop alike.%n%n",
                report.figure("speedups", "allocator tuning", "speedup", Percentiles.median(rate[1])
                        / Percentiles.median(rate[0])));
        poolingSpeedup();
        intraOpSpeedup();
    }

    private void poolingSpeedup() {
        int size = settings.get(ImageKind.IMAGE_SIZE);
        Shape input = new Shape(settings.get(Settings.BATCH_SIZE), settings.get(ImageKind.IMAGE_CONV_CHANNELS)[0], size,
                size);
        System.out.printf("bench: speed-ups: max-pooling %s in inference%n", input);
        PoolingProbe.Result r = PoolingProbe.run(input, 50);
        double libtorch = report.figure("speedups", "max-pool libtorch", "median_ms", r.libtorchMillis());
        double ours = report.figure("speedups", "max-pool MaxPool2x2", "median_ms", r.oursMillis());
        report.text("**Max-pooling in inference** (`MaxPool2x2`: two element-wise maxima over strided views instead of"
                + " libtorch's NCHW kernel, which keeps an index per output; training keeps libtorch's kernel for its"
                + " fast backward). It took a third of the trainer's CPU in a profile; every step pools the MoCo key"
                + " encoder's batch without gradients, and every embedder pools. The first conv layer's output,"
                + " %s, median of 50:%n%n", input);
        report.table(List.of("max-pool", "ms"), List.of(List.of("libtorch's kernel", BenchReport.f1(libtorch)),
                List.of("MaxPool2x2", BenchReport.f1(ours))));
        report.text("**%.1fx** faster, and the same values (largest difference %s).%n%n",
                report.figure("speedups", "max-pool", "speedup", libtorch / ours), r.largestDifference());
    }

    private void intraOpSpeedup() throws InterruptedException {
        Settings s = settings.with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Integer.toString(items)));
        double[][] rate = new double[2][repeats];
        double[][] idle = new double[2][repeats];
        try {
            for (int r = 0; r < repeats; r++) {
                for (int on = 0; on < 2; on++) {
                    System.setProperty("streamcl.intraop.per-thread", Boolean.toString(on == 1));
                    System.out.printf("bench: speed-ups run %d of %d: the pipeline, intra-op threads per thread %s%n",
                            r + 1, repeats, on == 1 ? "on" : "off");
                    Throughput.Result p = Throughput.pipeline(s, ImageKind.NAME, pool.subList(0, items),
                            "streamcl-bench-intraop-" + on + "-" + r, Duration.ofSeconds(timeoutSeconds), x -> { });
                    rate[on][r] = p.sustainedItemsPerSecond();
                    idle[on][r] = Runtime.getRuntime().availableProcessors()
                            - p.cores().values().stream().mapToDouble(Double::doubleValue).sum();
                    System.out.printf("bench: pipeline %.1f items/s sustained, %.2f cores idle%n", rate[on][r], idle[on][r]);
                }
            }
        } finally {
            System.clearProperty("streamcl.intraop.per-thread");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int on = 0; on < 2; on++) {
            String subject = "pipeline, intra-op threads per thread " + (on == 1 ? "on" : "off");
            rows.add(List.of(on == 1 ? "on" : "off",
                    BenchReport.f1(report.figure("speedups", subject, "median_items_per_second_sustained",
                            Percentiles.median(rate[on]))),
                    BenchReport.f2(report.figure("speedups", subject, "median_idle_cores", Percentiles.median(idle[on])))));
        }
        report.text("**One team of OpenMP workers: the trainer's** (`IntraOpThreads`: stream threads run libtorch"
                + " single-threaded). Each thread that runs a libtorch operator starts its own team of OpenMP"
                + " workers; with more workers than cores, libgomp stops spin-waiting and the trainer's workers"
                + " sleep and wake on every parallel region, hundreds a step. The pipeline on %d images, medians of"
                + " %d runs each, alternated (`-Dstreamcl.intraop.per-thread=false` turns it off):%n%n", items, repeats);
        report.table(List.of("per-thread limit", "pipeline items/s (sustained)", "idle cores"), rows);
        report.text("It buys **%.2fx** in the pipeline.%n", report.figure("speedups", "intra-op threads per thread",
                "speedup", Percentiles.median(rate[1]) / Percentiles.median(rate[0])));
    }

    /** {sustained items/s, median backward ms} of one bare run in a fresh JVM. */
    private double[] coldBare(boolean tuned) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dstreamcl.malloc.tune=" + tuned, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "bench", "--cold-bare-run",
                "--images", images.toString(), "--items", Integer.toString(items), "--seed", Long.toString(seed)));
        for (io.streamcl.config.Setting<?> setting : settings.all()) { // the user's settings, wherever they came from
            if (!"default".equals(settings.source(setting))) {
                command.addAll(List.of("--set", setting.name() + "=" + settings.text(setting)));
            }
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(COLD_RESULT)) {
                    result = line.substring(COLD_RESULT.length()).trim();
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the fresh JVM of the speed-ups section failed (exit " + p.exitValue() + ")");
        }
        String[] f = result.split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
    }

    /** The first {@code n} images of an IDX file as raw items. */
    private static List<RawItem> loadImages(Path file, int n) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("images not found: " + file + " (run from the repository root, or pass --images)");
        }
        IdxImages idx = IdxFile.readImages(file);
        if (idx.count() < n) {
            throw new IOException(file + " has " + idx.count() + " images, fewer than --items " + n);
        }
        List<RawItem> out = new ArrayList<>(idx.count());
        for (int i = 0; i < idx.count(); i++) {
            out.add(RawItems.image("b-" + i, System.currentTimeMillis(), RawItems.rawU8(idx.cols(), idx.rows(), 1,
                    idx.image(i))));
        }
        return out;
    }
}
