package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.PipelineMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Items per second through the whole pipeline, and the one formula both it and the {@link BareLoop}
 * are measured with.
 *
 * <p>A run has a start-up (the broker's first fetch, the consumer group forming, the trainer's first
 * batch filling) that no long-running stream pays again. So beside the end-to-end rate, both report the
 * sustained rate: items learned per second from the end of the first training step to the end of the
 * last, which is what a stream that never stops gets.
 */
public final class Throughput {

    /**
     * One pipeline run.
     *
     * @param seconds from the first item sent until every item is embedded, learned in full and the last
     *     step published
     * @param firstStepAt seconds from the first item sent to the end of the first training step
     * @param stepWindow seconds from the end of the first training step to the end of the last
     * @param cores CPU cores used by each group of threads ({@link #threadGroup}) from the first step to the end
     * @param phases mean ms per step of each of {@link PipelineMetrics#STEP_PHASES}
     */
    public record Result(int items, long steps, double seconds, double firstStepAt, double stepWindow,
            Map<String, Double> cores, double[] phases) {
        public double itemsPerSecond() {
            return items / seconds;
        }

        public double sustainedItemsPerSecond() {
            return sustained(items, steps, stepWindow);
        }
    }

    private Throughput() {}

    /** The group of the trainer's own thread. */
    public static final String TRAINER = "trainer (its own thread)";

    /** The group of a thread of the bench's process: the broker's by its thread group, the others by name. */
    public static String threadGroup(Thread thread) {
        String name = thread.getName();
        if (thread.getThreadGroup() != null && isWithin(thread.getThreadGroup(), BenchPipeline.BROKER_THREADS)) {
            return "broker";
        }
        if (name.startsWith("trainer-")) {
            return TRAINER;
        }
        if (name.contains("StreamThread") || name.contains("StateUpdater") || name.contains(" | streamcl-")) {
            return "stream threads and their clients";
        }
        if (name.contains("kafka-producer")) {
            return "producer clients";
        }
        return "other Java threads";
    }

    private static boolean isWithin(ThreadGroup group, ThreadGroup ancestor) {
        for (ThreadGroup g = group; g != null; g = g.getParent()) {
            if (g == ancestor) {
                return true;
            }
        }
        return false;
    }

    /**
     * Items learned per second between the first and the last step: each step learns {@code items / steps}
     * items' worth of uses, and {@code steps - 1} steps end inside the window.
     */
    public static double sustained(int items, long steps, double stepWindow) {
        return steps < 2 || stepWindow <= 0 ? Double.NaN : (double) items / steps * (steps - 1) / stepWindow;
    }

    /**
     * Sends every item at once to a fresh pipeline and times it until the items are through.
     *
     * @param afterwards given the pipeline after the timing, before it stops (to read what it made)
     */
    public static Result pipeline(Settings settings, String kind, List<RawItem> items, String applicationId,
            Duration timeout, Consumer<BenchPipeline> afterwards) throws InterruptedException {
        try (BenchPipeline p = BenchPipeline.start(settings, applicationId)) {
            PipelineMetrics m = p.metrics();
            long t0 = System.nanoTime();
            p.send(items);
            long[] stepTimes = new long[2]; // first step seen, last change of the step count
            long[] lastSteps = {0};
            CpuByThread cpu = new CpuByThread(Throughput::threadGroup);
            long[] lastPrint = {t0};
            boolean done = BenchPipeline.await(() -> m.caughtUp(kind, items.size()), timeout.toNanos(), () -> {
                long steps = m.steps(kind);
                long now = System.nanoTime();
                if (now - lastPrint[0] > 10e9) { // long runs show they are alive
                    System.out.printf("bench: [%4.0fs] %s: embedded %d of %d, offered to the trainer %d, %d steps%n",
                            (now - t0) / 1e9, kind, m.itemsEmbedded(kind), items.size(), m.itemsTrained(kind), steps);
                    lastPrint[0] = now;
                }
                if (steps != lastSteps[0]) {
                    if (lastSteps[0] == 0) {
                        stepTimes[0] = now;
                        cpu.start();
                    }
                    stepTimes[1] = now;
                    lastSteps[0] = steps;
                }
            });
            if (!done) {
                throw new IllegalStateException("the pipeline did not take " + items.size() + " " + kind
                        + " items through in " + timeout.toSeconds() + " s");
            }
            long end = System.nanoTime();
            Result r = new Result(items.size(), m.steps(kind), (end - t0) / 1e9, (stepTimes[0] - t0) / 1e9,
                    (stepTimes[1] - stepTimes[0]) / 1e9, cpu.stop(), PipelineMetrics.STEP_PHASES.stream()
                    .mapToDouble(phase -> m.meanPhaseMillis(kind, phase)).toArray());
            afterwards.accept(p);
            return r;
        }
    }
}
