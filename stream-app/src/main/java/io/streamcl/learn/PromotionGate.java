package io.streamcl.learn;

import java.util.Locale;

/**
 * Decides whether a snapshot is fit to serve, from what it can be judged on without labels: a finite
 * loss and finite parameters, and its figures on the trainer's probe ({@link ProbeFigures}) no worse than
 * the served version's beyond a tolerance:
 *
 * <ul>
 *   <li>positive-pair retrieval top-1, which falls when an encoder collapses or is corrupted;
 *   <li>alignment + uniformity, the objective Wang &amp; Isola (2020) show contrastive learning optimises,
 *       when top-1 did not improve. Each alone is no test: a learning encoder spreads its embeddings out
 *       (uniformity falls) and pays for it in alignment, which rises while top-1 improves, and a
 *       collapsed one has perfect alignment. Even the sum is no test of a better retrieval: on Brown
 *       sentences it rose over a run's snapshots while the demo's kNN went up, so it only decides between
 *       snapshots whose top-1 is no better. BENCHMARKS.md ("Why these settings") has the figures.
 * </ul>
 *
 * A snapshot is only compared once the probe is full and the served version was measured on the same
 * probe; until then the finite checks decide.
 */
public final class PromotionGate {

    /** The gate's answer, with the reason a refusal gives (and what {@code models} shows). */
    public record Verdict(boolean passed, String reason) {
        @Override
        public String toString() {
            return passed ? "passed" + (reason.isEmpty() ? "" : " (" + reason + ")") : "refused: " + reason;
        }
    }

    private final double tolerance;

    public PromotionGate(double tolerance) {
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        this.tolerance = tolerance;
    }

    /**
     * @param step the optimizer steps behind the snapshot (0: the untrained encoder, which has no loss)
     * @param candidate its probe figures; null when the probe is still filling
     * @param served the served version's figures on the same probe; null when nothing is served yet
     */
    public Verdict judge(long step, float loss, boolean parametersFinite, ProbeFigures candidate,
            ProbeFigures served) {
        if (step > 0 && !Float.isFinite(loss)) {
            return refused("loss is " + loss);
        }
        if (!parametersFinite) {
            return refused("parameters are not all finite");
        }
        if (candidate == null) {
            return new Verdict(true, "probe still filling: finite checks only");
        }
        if (!candidate.finite()) {
            return refused("the probe's embeddings are not finite");
        }
        if (served == null || !served.finite() || served.pairs() != candidate.pairs()) {
            return new Verdict(true, "nothing to compare with on this probe");
        }
        if (candidate.top1() < served.top1() - tolerance) {
            return refused(String.format(Locale.ROOT, "probe top-1 %.3f below the served %.3f by more than %.3f",
                    candidate.top1(), served.top1(), tolerance));
        }
        double objective = candidate.alignment() + candidate.uniformity();
        double servedObjective = served.alignment() + served.uniformity();
        if (candidate.top1() <= served.top1() && objective > servedObjective + tolerance) {
            return refused(String.format(Locale.ROOT,
                    "probe alignment + uniformity %.3f above (worse than) the served %.3f by more than %.3f,"
                            + " and top-1 no better", objective, servedObjective, tolerance));
        }
        return new Verdict(true, "");
    }

    private static Verdict refused(String why) {
        return new Verdict(false, why);
    }
}
