package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;

import ai.djl.ndarray.types.Shape;
import io.streamcl.config.Settings;
import io.streamcl.kind.ImageKind;
import io.streamcl.ingest.InvalidItemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the speed-ups bought. The allocator's tuning and the per-thread intra-op limit are switched by system
 * properties read in the process, so each side of those two runs in fresh JVMs of this jar, alternately.
 */
public final class SpeedupsSection {
    /** The option of {@code bench} that makes a fresh JVM do one bare run and print {@link #COLD_RESULT}. */
    public static final String COLD_BARE_RUN = "--cold-bare-run";
    /** The option of {@code bench} that makes a fresh JVM do one timed pipeline run and print {@link #PIPELINE_RESULT}. */
    public static final String PIPELINE_RUN = "--intra-op-run";
    private static final String COLD_RESULT = "cold-bare-run:";
    private static final String PIPELINE_RESULT = "intra-op-run:";

    private SpeedupsSection() {}

    public static SectionReport measure(BenchRun run, FreshBench fresh) throws IOException, InterruptedException {
        SectionReport report = new SectionReport();
        report.heading("Speed-ups, and what each bought");
        allocator(run, fresh, report);
        pooling(run.settings(), report);
        intraOp(run, fresh, report);
        return report;
    }

    /** What a fresh JVM started with {@link #COLD_BARE_RUN} does: one bare run, its result line printed. */
    public static String coldBareRun(BenchRun run) throws InvalidItemException {
        BareLoop.Result r = BenchRun.bare(run.settings(), run.runItems());
        return String.format(Locale.ROOT, "%s %.3f %.3f", COLD_RESULT, r.sustainedItemsPerSecond(),
                r.phases()[BareLoop.PHASES.indexOf("backward")]);
    }

    /**
     * What a fresh JVM started with {@link #PIPELINE_RUN} does: an untimed pipeline run for the JIT, then a timed
     * one, its result line printed.
     */
    public static String pipelineRun(BenchRun run, String applicationId) throws InterruptedException {
        run.pipeline(applicationId + "-warm-up");
        Throughput.Result p = run.pipeline(applicationId);
        double idle = Runtime.getRuntime().availableProcessors() - ThroughputSection.sum(p.cores());
        return String.format(Locale.ROOT, "%s %.3f %.3f", PIPELINE_RESULT, p.sustainedItemsPerSecond(), idle);
    }

    private static void allocator(BenchRun run, FreshBench fresh, SectionReport report) throws IOException,
            InterruptedException {
        double[][][] f = alternated(run.repeats(), (r, tuned) -> {
            System.out.printf("bench: speed-ups run %d of %d: a fresh JVM, allocator tuning %s%n", r + 1, run.repeats(),
                    onOff(tuned));
            return result(fresh.run(List.of("-Dstreamcl.malloc.tune=" + (tuned == 1)), List.of(COLD_BARE_RUN,
                    "--images", run.images().toString(), "--items", Integer.toString(run.items()), "--seed",
                    Long.toString(run.seed()))), COLD_RESULT);
        });
        double[][] rate = f[0];
        List<List<String>> rows = medianRows(report, "fresh JVM, allocator tuning ", rate,
                "median_items_per_second_sustained", f[1], "median_backward_ms", SectionReport::f1);
        report.text("**Native allocator tuning** (`NativeAllocator`: glibc `mallopt` at start, so that libtorch's"
                + " step-sized buffers stay in the heap instead of being mapped, page-faulted and unmapped on every"
                + " step). The first %d images a fresh process learns, in a bare loop, medians of %d fresh JVMs each"
                + " (`-Dstreamcl.malloc.tune=false` turns it off):%n%n", run.items(), run.repeats());
        report.table(List.of("tuning", "items/s (sustained)", "backward (ms per step)"), rows);
        report.text("It buys **%.1fx** in the first minutes of every process, trainer or bare loop alike.%n%n",
                report.figure("speedups", "allocator tuning", "speedup", Percentiles.median(rate[1])
                        / Percentiles.median(rate[0])));
    }

    private static void pooling(Settings settings, SectionReport report) {
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
        report.table(List.of("max-pool", "ms"), List.of(List.of("libtorch's kernel", f1(libtorch)),
                List.of("MaxPool2x2", f1(ours))));
        report.text("**%.1fx** faster, and the same values (largest difference %s).%n%n",
                report.figure("speedups", "max-pool", "speedup", libtorch / ours), r.largestDifference());
    }

    private static void intraOp(BenchRun run, FreshBench fresh, SectionReport report) throws IOException,
            InterruptedException {
        double[][][] f = alternated(run.repeats(), (r, on) -> {
            System.out.printf("bench: speed-ups run %d of %d: the pipeline in a fresh JVM, intra-op threads per thread"
                    + " %s%n", r + 1, run.repeats(), onOff(on));
            double[] p = result(fresh.run(List.of("-Dstreamcl.intraop.per-thread=" + (on == 1)), List.of(
                    PIPELINE_RUN + "=streamcl-bench-intraop-" + on + "-" + r, "--images", run.images().toString(),
                    "--items", Integer.toString(run.items()), "--seed", Long.toString(run.seed()), "--timeout",
                    Long.toString(run.timeout().toSeconds()))), PIPELINE_RESULT);
            System.out.printf("bench: pipeline %.1f items/s sustained, %.2f cores idle%n", p[0], p[1]);
            return p;
        });
        double[][] rate = f[0];
        List<List<String>> rows = medianRows(report, "pipeline, intra-op threads per thread ", rate,
                "median_items_per_second_sustained", f[1], "median_idle_cores", SectionReport::f2);
        report.text("**One team of OpenMP workers: the trainer's** (`IntraOpThreads`: stream threads run libtorch"
                + " single-threaded). Each thread that runs a libtorch operator starts its own team of OpenMP"
                + " workers; with more workers than cores, libgomp stops spin-waiting and the trainer's workers"
                + " sleep and wake on every parallel region, hundreds a step. The pipeline on %d images, medians of"
                + " %d fresh JVMs each, alternated, each timing its second run (`-Dstreamcl.intraop.per-thread=false`"
                + " turns it off):%n%n", run.items(), run.repeats());
        report.table(List.of("per-thread limit", "pipeline items/s (sustained)", "idle cores"), rows);
        report.text("It buys **%.2fx** in the pipeline.%n", report.figure("speedups", "intra-op threads per thread",
                "speedup", Percentiles.median(rate[1]) / Percentiles.median(rate[0])));
    }

    /** One side of a comparison, run {@code r} (from 0); {@code on} is 0 or 1. */
    @FunctionalInterface
    private interface Side {
        double[] run(int r, int on) throws IOException, InterruptedException;
    }

    /**
     * Both sides, off then on, {@code repeats} times, so that drift of the machine hits both alike.
     *
     * @return [figure][side][run]: the two figures of each run
     */
    private static double[][][] alternated(int repeats, Side side) throws IOException, InterruptedException {
        double[][][] out = new double[2][2][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int on = 0; on < 2; on++) {
                double[] f = side.run(r, on);
                out[0][on][r] = f[0];
                out[1][on][r] = f[1];
            }
        }
        return out;
    }

    /** A row per side, off first: the sustained rate's median and {@code second}'s, into the CSV as well. */
    private static List<List<String>> medianRows(SectionReport report, String subjectPrefix, double[][] rate,
            String rateMetric, double[][] second, String secondMetric, Function<Double, String> secondFormat) {
        List<List<String>> rows = new ArrayList<>();
        for (int on = 0; on < 2; on++) {
            String subject = subjectPrefix + onOff(on);
            rows.add(List.of(onOff(on), f1(report.figure("speedups", subject, rateMetric, Percentiles.median(rate[on]))),
                    secondFormat.apply(report.figure("speedups", subject, secondMetric,
                            Percentiles.median(second[on])))));
        }
        return rows;
    }

    private static String onOff(int on) {
        return on == 1 ? "on" : "off";
    }

    /** The two figures of the fresh JVM's result line. */
    private static double[] result(List<String> output, String prefix) {
        String line = output.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElseThrow(
                () -> new IllegalStateException("the fresh JVM of the speed-ups section printed no result line"));
        String[] f = line.substring(prefix.length()).trim().split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
    }
}
