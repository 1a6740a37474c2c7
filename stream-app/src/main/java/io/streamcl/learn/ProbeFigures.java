package io.streamcl.learn;

/**
 * Label-free health of an encoder on a fixed probe of positive pairs (Wang &amp; Isola 2020), in the space
 * of the published embeddings.
 *
 * @param alignment mean squared distance between the two sides of a pair; lower is better, in [0, 4]
 * @param uniformity log mean Gaussian potential between keys; lower is better (0: collapsed)
 * @param top1 fraction of queries whose nearest key is their own; higher is better
 * @param pairs how many pairs the figures come from
 */
public record ProbeFigures(double alignment, double uniformity, double top1, int pairs) {

    /** Whether every figure is a number: an encoder with non-finite outputs gets NaN figures. */
    public boolean finite() {
        return Double.isFinite(alignment) && Double.isFinite(uniformity) && Double.isFinite(top1);
    }

    static ProbeFigures nonFinite(int pairs) {
        return new ProbeFigures(Double.NaN, Double.NaN, Double.NaN, pairs);
    }
}
