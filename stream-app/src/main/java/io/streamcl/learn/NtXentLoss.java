package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * NT-Xent (normalised temperature-scaled cross-entropy) loss of SimCLR.
 *
 * <p>The two views {@code z1} (B, D) and {@code z2} (B, D) are stacked into 2B views {@code z}
 * (z_i = z1_i, z_{B+i} = z2_i). View a's positive is its partner p(a) = (a + B) mod 2B; the other
 * 2B - 2 views are its negatives; its similarity with itself is excluded:
 *
 * <pre>
 *   s_ab = sim(z_a, z_b) / τ
 *   L_a  = -log( exp(s_a,p(a)) / Σ_{b ≠ a} exp(s_ab) )
 *   L    = (1/2B) Σ_a L_a
 * </pre>
 *
 * <p>Reference: T. Chen, S. Kornblith, M. Norouzi, G. Hinton, "A Simple Framework for Contrastive
 * Learning of Visual Representations", ICML 2020 (SimCLR), where sim is cosine.
 *
 * <p>A mean over the 2B views. Not invariant to duplicating the batch (a duplicate of a view is
 * then one of its negatives). Every array built here lives in {@code z1}'s manager.
 */
public final class NtXentLoss {

    private final float temperature;
    private final Similarity similarity;

    /**
     * @param temperature τ > 0 (SimCLR: 0.1 to 0.5)
     * @param similarity how views are compared (SimCLR: cosine)
     * @throws IllegalArgumentException if τ is not a finite positive number or similarity is null
     */
    public NtXentLoss(float temperature, Similarity similarity) {
        this.temperature = InfoNceLoss.checkTemperature(temperature);
        if (similarity == null) {
            throw new IllegalArgumentException("similarity must not be null");
        }
        this.similarity = similarity;
    }

    public float temperature() {
        return temperature;
    }

    public Similarity similarity() {
        return similarity;
    }

    /**
     * Computes the loss.
     *
     * @param z1 (B, D) float, first view of each item; its manager owns every array made here
     * @param z2 (B, D) float, second view; row i is the positive of z1's row i
     * @return scalar (shape ()) float, the mean over the 2B views; gradients flow to z1 and z2
     */
    public NDArray compute(NDArray z1, NDArray z2) {
        Shape s1 = z1.getShape();
        if (s1.dimension() != 2 || s1.get(0) < 1) {
            throw new IllegalArgumentException("z1 must be (B, D) with B >= 1, got " + s1);
        }
        if (!z2.getShape().equals(s1)) {
            throw new IllegalArgumentException("z2 must have z1's shape " + s1 + ", got " + z2.getShape());
        }
        int b = Math.toIntExact(s1.get(0));
        int n = 2 * b;
        NDManager sm = z1.getManager();
        NDArray z = NDArrays.concat(new NDList(z1, z2), 0); // (2B, D)
        NDArray logits = similarity.matrix(z, z).mul(sm.create(1f / temperature)); // (2B, 2B)
        NDArray self = sm.eye(n, n, 0, DataType.FLOAT32).toType(DataType.BOOLEAN, false); // (2B, 2B)
        NDArray excluded = sm.full(new Shape(n, n), InfoNceLoss.EXCLUDED_LOGIT); // DJL's where does not broadcast
        logits = NDArrays.where(self, excluded, logits); // (2B, 2B)
        NDArray partner = sm.arange(b, n, 1, DataType.INT64)
                .concat(sm.arange(0, b, 1, DataType.INT64))
                .reshape(n, 1); // (2B, 1): column (a + B) mod 2B for row a
        NDArray logProbPositive = logits.logSoftmax(1).gather(partner, 1); // (2B, 1)
        return logProbPositive.mean().neg(); // ()
    }
}
