package io.streamcl.bench;

import io.streamcl.kind.ItemKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.IntraOpThreads;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.StepResult;
import io.streamcl.topology.PipelineMetrics;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The training the pipeline does, without the pipeline: the same kind, encoder, optimizer, replay and
 * augmentation, fed from memory. What the pipeline is measured against.
 *
 * <p>It trains on a thread of its own ({@link OwnThread}), as the pipeline's trainer does.
 */
public final class BareLoop {

    /**
     * One run.
     *
     * @param items items learned (each {@code usesPerItem} times)
     * @param seconds wall time from the first item to the last step
     * @param stepWindow seconds from the end of the first step to the end of the last
     * @param phases median ms per step of augment, forward, backward, optimizer, EMA, bank
     * @param parameters the encoder's parameters after the last step ({@link ContrastiveTrainer#saveParameters})
     * @param threadCpuSeconds CPU time of the loop's own thread (not of libtorch's workers)
     */
    public record Result(int items, long steps, double seconds, double stepWindow, double[] phases,
            byte[] parameters, double threadCpuSeconds) {
        public double itemsPerSecond() {
            return items / seconds;
        }

        /** Items per second once training runs: {@link Throughput#sustained}. */
        public double sustainedItemsPerSecond() {
            return Throughput.sustained(items, steps, stepWindow);
        }
    }

    /** The name of the thread it trains on. */
    public static final String THREAD_NAME = "bare-loop";

    /** The names of {@link Result#phases()}, in order. */
    public static final List<String> PHASES = PipelineMetrics.STEP_PHASES;

    private BareLoop() {}

    /** Learns every item fully (all its replay uses), as the pipeline's trainer would. */
    public static <I> Result run(ItemKind<I> kind, Supplier<ContrastiveTrainer> trainer, ReplayPlan plan, List<String> ids,
            List<I> items) {
        return run(kind, trainer, plan, ids, items, 0);
    }

    /** The same, its operators on {@code intraOpThreads} libtorch threads as the kind's trainer would be (0: the default). */
    public static <I> Result run(ItemKind<I> kind, Supplier<ContrastiveTrainer> trainer, ReplayPlan plan, List<String> ids,
            List<I> items, int intraOpThreads) {
        return OwnThread.call(THREAD_NAME, () -> {
            if (intraOpThreads > 0) {
                IntraOpThreads.setForThisThread(intraOpThreads);
            }
            return runHere(kind, trainer, plan, ids, items);
        });
    }

    private static <I> Result runHere(ItemKind<I> kind, Supplier<ContrastiveTrainer> trainer, ReplayPlan plan,
            List<String> ids, List<I> items) {
        List<StepResult> steps = new ArrayList<>();
        long t0 = System.nanoTime();
        long firstStepEnd = 0;
        byte[] parameters;
        try (ItemLearner<I> learner = kind.learner(trainer.get(), plan)) {
            for (int i = 0; i < items.size(); i++) {
                while (learner.isFull()) {
                    steps.add(learner.stepIfFull());
                    firstStepEnd = firstStepEnd == 0 ? System.nanoTime() : firstStepEnd;
                }
                learner.offer(ids.get(i), items.get(i));
            }
            for (StepResult r = learner.drainStep(); r != null; r = learner.drainStep()) {
                steps.add(r);
                firstStepEnd = firstStepEnd == 0 ? System.nanoTime() : firstStepEnd;
            }
            parameters = learner.trainer().saveParameters();
        }
        long end = System.nanoTime();
        double seconds = (end - t0) / 1e9;
        double[][] byPhase = new double[PHASES.size()][steps.size()];
        for (int s = 0; s < steps.size(); s++) {
            StepResult.Phases p = steps.get(s).phases();
            double[] values = {p.augment(), p.forward(), p.backward(), p.optimizer(), p.ema(), p.bank()};
            for (int k = 0; k < values.length; k++) {
                byPhase[k][s] = values[k];
            }
        }
        double[] medians = new double[PHASES.size()];
        for (int k = 0; k < medians.length; k++) {
            medians[k] = Percentiles.median(byPhase[k]);
        }
        return new Result(items.size(), steps.size(), seconds, firstStepEnd == 0 ? 0 : (end - firstStepEnd) / 1e9,
                medians, parameters, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9);
    }
}
