package io.streamcl.eval;

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity, the evaluation of InstDisc
 * (Wu et al. 2018, "Unsupervised Feature Learning via Non-Parametric Instance Discrimination", sec. 3.4).
 *
 * <p>For a query q, let N_k(q) be the k memory items with the highest cosine similarity
 * s_i = cos(q, m_i). Each votes for its label with weight w_i = exp(s_i / T); the prediction is the label
 * with the largest total weight (ties: the smaller label). Weights are computed as
 * exp((s_i - s_max) / T), which gives the same prediction without overflow at small T.
 *
 * <p>Vectors are L2-normalised here; inputs need not be. Labels are any non-negative ints, in any number.
 * If k exceeds the memory size, every memory item votes. The search is exact and parallel over blocks
 * of queries; results do not depend on the number of threads.
 */
public final class KnnClassifier {

    public static final int DEFAULT_K = 200;
    public static final double DEFAULT_TEMPERATURE = 0.07;

    private final int k;
    private final double temperature;

    /** A classifier with k = {@value #DEFAULT_K} and T = {@value #DEFAULT_TEMPERATURE}. */
    public KnnClassifier() {
        this(DEFAULT_K, DEFAULT_TEMPERATURE);
    }

    /**
     * @param k neighbours that vote, >= 1
     * @param temperature T in exp(sim / T), finite and > 0
     */
    public KnnClassifier(int k, double temperature) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
        this.k = k;
        this.temperature = temperature;
    }

    public int k() {
        return k;
    }

    public double temperature() {
        return temperature;
    }

    /**
     * @param memory [n][dim] labelled embeddings, n >= 1
     * @param memoryLabels [n] labels, >= 0
     * @param queries [nq][dim]
     * @return [nq] the predicted label of every query
     */
    public int[] predict(float[][] memory, int[] memoryLabels, float[][] queries) {
        int dim = Vectors.dim(memory, "memory");
        ClassIndex classes = ClassIndex.of(memoryLabels, memory.length, "memoryLabels");
        if (queries == null) {
            throw new IllegalArgumentException("queries is null");
        }
        float[] mem = Vectors.normalisedFlat(memory, dim, "memory");
        float[] qs = Vectors.normalisedFlat(queries, dim, "queries");
        int[] predictions = new int[queries.length];
        if (queries.length == 0) {
            return predictions;
        }

        int kk = Math.min(k, memory.length);
        NearestNeighbours.search(mem, qs, dim, kk, (first, count, kEff, idx, sims) -> {
            double[] votes = new double[classes.size()];
            for (int r = 0; r < count; r++) {
                predictions[first + r] = classes.vote(idx, sims, r * kEff, kEff, temperature, votes);
            }
        });
        return predictions;
    }

    /**
     * Top-1 accuracy of {@link #predict} on labelled queries.
     *
     * @param queries [nq][dim], nq >= 1
     * @param queryLabels [nq]
     * @return the fraction of queries whose predicted label equals their own, in [0, 1]
     */
    public double accuracy(float[][] memory, int[] memoryLabels, float[][] queries, int[] queryLabels) {
        if (queries == null || queries.length == 0) {
            throw new IllegalArgumentException("queries is empty");
        }
        if (queryLabels == null || queryLabels.length != queries.length) {
            throw new IllegalArgumentException("queryLabels has length "
                    + (queryLabels == null ? "null" : queryLabels.length) + ", expected " + queries.length);
        }
        return ClassIndex.accuracy(predict(memory, memoryLabels, queries), queryLabels);
    }

    @Override
    public String toString() {
        return "KnnClassifier[k=" + k + ", temperature=" + temperature + "]";
    }
}
