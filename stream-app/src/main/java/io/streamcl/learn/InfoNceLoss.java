package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * InfoNCE loss with in-batch and memory-bank negatives, as used by MoCo.
 *
 * <p>For a batch of queries {@code q} (B, D) whose positives are the keys {@code k} (B, D) (row i
 * of {@code k} is the positive of row i of {@code q}) and an optional bank of K negative keys,
 *
 * <pre>
 *   l_ij = sim(q_i, k_j) / τ           j = 0..B-1   (in-batch: j = i positive, j ≠ i negative)
 *   n_ij = sim(q_i, bank_j) / τ        j = 0..K-1   (bank negatives, minus those of q_i's own item)
 *   L_i  = -log( exp(l_ii) / (Σ_j exp(l_ij) + Σ_{j : ¬self(i,j)} exp(n_ij)) )
 *   L    = (1/B) Σ_i L_i
 * </pre>
 *
 * i.e. softmax cross-entropy over the logits {@code [sim(q,k) | sim(q,bank)] / τ} with the target
 * on the diagonal of the first block. Bank entries flagged as keys of the query's own item are
 * excluded (their logit is replaced by {@value #EXCLUDED_LOGIT}, whose softmax weight is exactly 0),
 * so an item is never its own negative.
 *
 * <p>Optional logQ correction (X. Yi et al., "Sampling-Bias-Corrected Neural Modeling for Large
 * Corpus Item Recommendations", RecSys 2019): in-batch negatives are sampled by popularity, so
 * popular items are pushed away more often than uniform sampling would. Given log q_j, the log
 * sampling probability of the item of key j, every in-batch logit becomes
 * {@code l_ij = sim(q_i, k_j) / τ - log q_j} (the positive column too, as in the paper). Bank
 * logits are left as they are.
 *
 * <p>References: A. van den Oord, Y. Li, O. Vinyals, "Representation Learning with Contrastive
 * Predictive Coding", arXiv:1807.03748, 2018 (InfoNCE); K. He, H. Fan, Y. Wu, S. Xie, R. Girshick,
 * "Momentum Contrast for Unsupervised Visual Representation Learning", CVPR 2020 (MoCo: queue of
 * negatives, momentum key encoder).
 *
 * <p>The loss is a mean over the batch, so its scale does not depend on B. It is not invariant to
 * duplicating the batch: a duplicated key is an extra in-batch negative.
 *
 * <p>DJL: every array built here lives in {@code q}'s manager (the step's manager), scalars
 * included, so nothing is freed before backward and nothing leaks into long-lived managers.
 */
public final class InfoNceLoss {

    /** Logit given to excluded entries: finite (so 0·logit stays 0), far below any real logit. */
    static final float EXCLUDED_LOGIT = -1e30f;

    private final float temperature;
    private final Similarity similarity;

    /**
     * @param temperature τ > 0; logits are divided by it (MoCo: 0.07, 0.2 for MoCo v2)
     * @param similarity how q is compared with keys
     * @throws IllegalArgumentException if τ is not a finite positive number or similarity is null
     */
    public InfoNceLoss(float temperature, Similarity similarity) {
        this.temperature = checkTemperature(temperature);
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
     * @param q (B, D) float queries; its manager owns every array made here
     * @param k (B, D) float keys, row i is the positive of q_i (usually from the momentum encoder,
     *     detached); the other rows are negatives for q_i
     * @param bank (K, D) float negative keys (from {@link MemoryBank#keys}), or null / K = 0 for
     *     in-batch negatives only
     * @param bankIsSelf (B, K) boolean, true where bank row j is a key of q_i's own item (from
     *     {@link MemoryBank#isSelf}); null if nothing is to be excluded; must be null if bank is
     * @return scalar (shape ()) float: the mean over the batch of -log softmax(logits_i)[i];
     *     gradients flow to q and k
     */
    public NDArray compute(NDArray q, NDArray k, NDArray bank, NDArray bankIsSelf) {
        return compute(q, k, bank, bankIsSelf, null);
    }

    /**
     * Computes the loss with the logQ correction of the in-batch logits.
     *
     * @param keyLogQ (B) float, log q_j of the item of key row j, subtracted from column j of the
     *     in-batch logits; null for no correction. No gradient flows to it.
     * @see #compute(NDArray, NDArray, NDArray, NDArray)
     */
    public NDArray compute(NDArray q, NDArray k, NDArray bank, NDArray bankIsSelf, NDArray keyLogQ) {
        Shape qs = q.getShape();
        if (qs.dimension() != 2 || qs.get(0) < 1) {
            throw new IllegalArgumentException("q must be (B, D) with B >= 1, got " + qs);
        }
        if (!k.getShape().equals(qs)) {
            throw new IllegalArgumentException("k must have q's shape " + qs + ", got " + k.getShape());
        }
        long b = qs.get(0);
        long kRows = 0;
        if (bank != null) {
            Similarity.checkPair(q, bank);
            kRows = bank.getShape().get(0);
        }
        if (bankIsSelf != null) {
            if (bank == null) {
                throw new IllegalArgumentException("bankIsSelf must be null when bank is null");
            }
            if (!bankIsSelf.getShape().equals(new Shape(b, kRows))) {
                throw new IllegalArgumentException(
                        "bankIsSelf must be (B, K) = " + new Shape(b, kRows) + ", got " + bankIsSelf.getShape());
            }
            if (bankIsSelf.getDataType() != DataType.BOOLEAN) {
                throw new IllegalArgumentException("bankIsSelf must be boolean, got " + bankIsSelf.getDataType());
            }
        }

        if (keyLogQ != null && !keyLogQ.getShape().equals(new Shape(b))) {
            throw new IllegalArgumentException("keyLogQ must be (B) = " + new Shape(b) + ", got " + keyLogQ.getShape());
        }

        NDManager sm = q.getManager();
        NDArray invTau = sm.create(1f / temperature); // scalar in the step manager, alive until backward
        NDArray logits = similarity.matrix(q, k).mul(invTau); // (B, B), positives on the diagonal
        if (keyLogQ != null) {
            logits = logits.sub(keyLogQ.stopGradient().reshape(1, b)); // (B, B) - (1, B): column j less log q_j
        }
        if (kRows > 0) {
            NDArray bankLogits = similarity.matrix(q, bank).mul(invTau); // (B, K)
            if (bankIsSelf != null) {
                NDArray excluded = sm.full(bankLogits.getShape(), EXCLUDED_LOGIT); // (B, K); DJL's where does not broadcast
                bankLogits = NDArrays.where(bankIsSelf, excluded, bankLogits); // (B, K)
            }
            logits = NDArrays.concat(new NDList(logits, bankLogits), 1); // (B, B + K)
        }
        NDArray target = sm.arange(0, (int) b, 1, DataType.INT64).reshape(b, 1); // (B, 1): column i for row i
        NDArray logProbPositive = logits.logSoftmax(1).gather(target, 1); // (B, 1)
        return logProbPositive.mean().neg(); // ()
    }

    static float checkTemperature(float temperature) {
        if (!(temperature > 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, got " + temperature);
        }
        return temperature;
    }
}
