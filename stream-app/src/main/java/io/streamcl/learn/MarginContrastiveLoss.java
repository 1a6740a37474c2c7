package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Pairwise margin contrastive loss ("contrastive loss" of Hadsell, Chopra and LeCun).
 *
 * <p>For N pairs (a_i, b_i) with label y_i = 1 (same item) or 0 (different items):
 *
 * <pre>
 *   d_i = sqrt(|a_i - b_i|² + ε)                      ε = {@value #EPS}
 *   L_i = y_i · |a_i - b_i|² / 2 + (1 - y_i) · max(0, m - d_i)² / 2
 *   L   = (1/N) Σ_i L_i
 * </pre>
 *
 * Similar pairs are pulled together, dissimilar pairs pushed apart until they are at least the
 * margin m apart. ε keeps the gradient of d finite at d = 0 (identical rows); the pull term uses
 * the exact squared distance, which equals d² - ε.
 *
 * <p>Reference: R. Hadsell, S. Chopra, Y. LeCun, "Dimensionality Reduction by Learning an Invariant
 * Mapping", CVPR 2006.
 *
 * <p>A mean over pairs: duplicating every pair leaves the value unchanged. Every array built here
 * lives in {@code a}'s manager.
 */
public final class MarginContrastiveLoss {

    /** Added to the squared distance inside the square root. */
    static final float EPS = 1e-12f;

    private final float margin;

    /**
     * @param margin m > 0, the distance beyond which dissimilar pairs no longer contribute
     * @throws IllegalArgumentException if m is not a finite positive number
     */
    public MarginContrastiveLoss(float margin) {
        if (!(margin > 0f) || Float.isInfinite(margin)) {
            throw new IllegalArgumentException("margin must be > 0 and finite, got " + margin);
        }
        this.margin = margin;
    }

    public float margin() {
        return margin;
    }

    /**
     * Computes the loss.
     *
     * @param a (N, D) float; its manager owns every array made here
     * @param b (N, D) float, row i is paired with a's row i
     * @param positive (N) float (other numeric types are converted), 1 = same item, 0 = different
     * @return scalar (shape ()) float, the mean over the N pairs; gradients flow to a and b
     */
    public NDArray compute(NDArray a, NDArray b, NDArray positive) {
        Shape as = a.getShape();
        if (as.dimension() != 2 || as.get(0) < 1) {
            throw new IllegalArgumentException("a must be (N, D) with N >= 1, got " + as);
        }
        if (!b.getShape().equals(as)) {
            throw new IllegalArgumentException("b must have a's shape " + as + ", got " + b.getShape());
        }
        if (!positive.getShape().equals(new Shape(as.get(0)))) {
            throw new IllegalArgumentException("positive must be (N) = (" + as.get(0) + "), got " + positive.getShape());
        }
        NDManager sm = a.getManager();
        NDArray y = positive; // (N); only ever a right operand, so nothing lands in its manager
        if (y.getDataType() != DataType.FLOAT32) {
            y = y.toType(DataType.FLOAT32, true);
            y.attach(sm);
        }
        NDArray sq = a.sub(b).square().sum(new int[] {1}); // (N) squared distances
        NDArray d = sq.add(sm.create(EPS)).sqrt(); // (N)
        NDArray hinge = sm.create(margin).sub(d).maximum(sm.create(0f)); // (N) max(0, m - d)
        NDArray notY = sm.create(1f).sub(y); // (N) 1 - y
        NDArray perPair = sq.mul(y).add(hinge.square().mul(notY)).mul(sm.create(0.5f)); // (N)
        return perPair.mean(); // ()
    }
}
