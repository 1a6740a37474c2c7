package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;
import static io.streamcl.bench.SectionReport.f2;

import io.streamcl.config.Settings;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.schema.RawItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline against a bare training loop on the same images: what Kafka costs over the training it does. */
public final class ThroughputSection {
    private static final String TRAINER_GROUP = Throughput.TRAINER;

    private ThroughputSection() {}

    /** Runs both {@code run.repeats()} times, alternated; tells {@code rate} the pipeline's median sustained rate. */
    public static SectionReport measure(BenchRun run, OfferedRate rate) throws InterruptedException,
            InvalidItemException {
        Settings s = run.learnedInFull();
        List<RawItem> raw = run.runItems();
        int items = run.items();
        int repeats = run.repeats();
        List<BareLoop.Result> bare = new ArrayList<>();
        List<Throughput.Result> pipeline = new ArrayList<>();
        List<Map<String, Double>> bareCores = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) { // alternated, so that drift of the machine hits both alike
            System.out.printf("bench: throughput run %d of %d: bare loop, %d images%n", r, repeats, items);
            CpuByThread cpu = new CpuByThread(thread -> "other Java threads");
            cpu.start();
            long t0 = System.nanoTime();
            BareLoop.Result b = BenchRun.bare(s, raw);
            bareCores.add(withLoopThread(cpu.stop(), b.threadCpuSeconds() / ((System.nanoTime() - t0) / 1e9)));
            bare.add(b);
            System.out.printf("bench: bare loop %.1f items/s sustained (%d steps in %.1f s)%n",
                    b.sustainedItemsPerSecond(), b.steps(), b.seconds());
            System.out.printf("bench: throughput run %d of %d: pipeline, %d images%n", r, repeats, items);
            Throughput.Result p = run.pipeline("streamcl-bench-" + r);
            pipeline.add(p);
            System.out.printf("bench: pipeline %.1f items/s sustained (%d steps in %.1f s, first step at %.1f s)%n",
                    p.sustainedItemsPerSecond(), p.steps(), p.seconds(), p.firstStepAt());
            System.out.println("bench: cores used while training: " + p.cores());
            System.out.println("bench: bare loop's cores: " + bareCores.get(bareCores.size() - 1));
        }
        SectionReport report = new SectionReport();
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
            String runName = "run " + (r + 1);
            bareRates[r] = report.figure("throughput", "bare " + runName, "items_per_second_sustained",
                    bare.get(r).sustainedItemsPerSecond());
            pipeRates[r] = report.figure("throughput", "pipeline " + runName, "items_per_second_sustained",
                    pipeline.get(r).sustainedItemsPerSecond());
            pipeEnd[r] = report.figure("throughput", "pipeline " + runName, "items_per_second_end_to_end",
                    pipeline.get(r).itemsPerSecond());
            report.figure("throughput", "pipeline " + runName, "first_step_seconds", pipeline.get(r).firstStepAt());
            rows.add(List.of(Integer.toString(r + 1), f1(bareRates[r]), f1(pipeRates[r]), f1(pipeEnd[r]),
                    f1(pipeline.get(r).firstStepAt())));
        }
        double bareMedian = report.figure("throughput", "bare", "median_items_per_second", Percentiles.median(bareRates));
        double pipelineSustained = report.figure("throughput", "pipeline", "median_items_per_second",
                Percentiles.median(pipeRates));
        rate.measured(pipelineSustained);
        rows.add(List.of("**median**", "**" + f1(bareMedian) + "**", "**" + f1(pipelineSustained) + "**",
                "**" + f1(Percentiles.median(pipeEnd)) + "**", ""));
        report.table(List.of("run", "bare loop, sustained (items/s)", "pipeline, sustained (items/s)",
                "pipeline, end to end (items/s)", "pipeline: first step after (s)"), rows);
        double ratio = report.figure("throughput", "pipeline / bare", "ratio", pipelineSustained / bareMedian);
        report.text("Pipeline / bare loop, sustained: **%.2f** (target: 0.8 or more).%n%n", ratio);
        report.text("Where a step's time goes: ms per step, the bare loop's median and the pipeline trainer's mean"
                + " over each run's steps (batch %d):%n%n", run.settings().get(Settings.BATCH_SIZE));
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(BareLoop.PHASES);
        List<List<String>> phaseRows = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            phaseRows.add(phaseRow(report, "bare run " + (r + 1), bare.get(r).phases()));
            phaseRows.add(phaseRow(report, "pipeline run " + (r + 1), pipeline.get(r).phases()));
        }
        report.table(header, phaseRows);
        int cores = Runtime.getRuntime().availableProcessors();
        report.text("CPU cores each group of threads kept busy while training (CPU seconds per second, of %d;"
                + " libtorch's worker threads are not Java threads and count under \"%s\"):%n%n", cores,
                CpuByThread.NATIVE);
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
            coreRows.add(coreRow(report, "bare run " + (r + 1), bareCores.get(r), groups));
            coreRows.add(coreRow(report, "pipeline run " + (r + 1), pipeline.get(r).cores(), groups));
        }
        report.table(coreHeader, coreRows);
        double bareTraining = Percentiles.median(bareCores.stream().mapToDouble(ThroughputSection::trainingCores)
                .toArray());
        double pipeTraining = Percentiles.median(pipeline.stream().mapToDouble(p -> trainingCores(p.cores())).toArray());
        double pipeAll = Percentiles.median(pipeline.stream().mapToDouble(p -> sum(p.cores())).toArray());
        report.text("Medians: the bare loop's training keeps **%.2f** cores busy; in the pipeline, training (its thread"
                        + " and the native workers) gets **%.2f**, the rest of the process %.2f, and %.2f of the %d cores"
                        + " stay idle although the trainer always has work.%n%n",
                report.figure("throughput cores", "bare", "training_median", bareTraining),
                report.figure("throughput cores", "pipeline", "training_median", pipeTraining),
                report.figure("throughput cores", "pipeline", "rest_median", pipeAll - pipeTraining),
                report.figure("throughput cores", "pipeline", "idle_median", cores - pipeAll), cores);
        return report;
    }

    /** The loop's thread has ended by now, so {@link CpuByThread} counted its time as native: moved back. */
    private static Map<String, Double> withLoopThread(Map<String, Double> cores, double loopThread) {
        Map<String, Double> out = new LinkedHashMap<>(cores);
        out.merge(CpuByThread.NATIVE, -loopThread, Double::sum);
        out.put(TRAINER_GROUP, loopThread);
        return out;
    }

    /** Cores the training used: its thread, and libtorch's workers (with GC and JIT, which cannot be told apart). */
    private static double trainingCores(Map<String, Double> cores) {
        return cores.getOrDefault(TRAINER_GROUP, 0.0) + cores.getOrDefault(CpuByThread.NATIVE, 0.0);
    }

    static double sum(Map<String, Double> cores) {
        return cores.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static List<String> phaseRow(SectionReport report, String subject, double[] phases) {
        List<String> cells = new ArrayList<>(List.of(subject));
        for (int k = 0; k < BareLoop.PHASES.size(); k++) {
            cells.add(f1(report.figure("throughput", subject, BareLoop.PHASES.get(k) + "_ms", phases[k])));
        }
        return cells;
    }

    private static List<String> coreRow(SectionReport report, String subject, Map<String, Double> cores,
            List<String> groups) {
        List<String> cells = new ArrayList<>(List.of(subject));
        for (String g : groups) {
            cells.add(f2(report.figure("throughput cores", subject, g, cores.getOrDefault(g, 0.0))));
        }
        cells.add(f2(report.figure("throughput cores", subject, "all", sum(cores))));
        return cells;
    }
}
