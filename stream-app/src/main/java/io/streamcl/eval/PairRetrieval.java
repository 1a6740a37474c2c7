package io.streamcl.eval;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Positive-pair retrieval: can an anchor find its own positive among all candidates?
 *
 * <p>Typical use: anchors are embeddings of one augmented view of n items, candidates of another view
 * (or of the clean items), aligned by row. Label-free, so it also works on streams without labels.
 */
public final class PairRetrieval {

    private PairRetrieval() {}

    /**
     * Top-1 positive-pair retrieval accuracy: the fraction of i for which candidates[i] is the most
     * cosine-similar candidate to anchors[i]. Ties go to the lower candidate index. Vectors are
     * L2-normalised here.
     *
     * @param anchors [n][dim], n >= 1
     * @param candidates [n][dim], candidates[i] is the positive of anchors[i]
     * @return a fraction in [0, 1]; chance level is 1 / n
     */
    public static double top1(float[][] anchors, float[][] candidates) {
        int dim = Vectors.dim(anchors, "anchors");
        if (candidates == null || candidates.length != anchors.length) {
            throw new IllegalArgumentException("candidates has "
                    + (candidates == null ? "null" : candidates.length) + " rows, expected " + anchors.length);
        }
        float[] a = Vectors.normalisedFlat(anchors, dim, "anchors");
        float[] c = Vectors.normalisedFlat(candidates, dim, "candidates");
        AtomicInteger hits = new AtomicInteger();
        NearestNeighbours.search(c, a, dim, 1, (first, count, k, idx, sims) -> {
            int blockHits = 0;
            for (int r = 0; r < count; r++) {
                if (idx[r] == first + r) {
                    blockHits++;
                }
            }
            hits.addAndGet(blockHits);
        });
        return (double) hits.get() / anchors.length;
    }
}
