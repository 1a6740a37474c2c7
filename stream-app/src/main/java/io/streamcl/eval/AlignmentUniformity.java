package io.streamcl.eval;

import java.util.SplittableRandom;

/**
 * Label-free health metrics of a contrastive embedding, from Wang &amp; Isola 2020, "Understanding
 * Contrastive Representation Learning through Alignment and Uniformity on the Hypersphere".
 *
 * <p>Both are computed on L2-normalised vectors (normalised here). Alignment (alpha = 2):
 * {@code E ||f(x) - f(y)||^2} over positive pairs; 0 is perfect, 4 the worst. Uniformity (t = 2):
 * {@code log E exp(-2 ||f(x) - f(x')||^2)} over distinct pairs; 0 for a collapsed embedding (every
 * vector the same), down to about -4 for vectors spread over a high-dimensional sphere.
 */
public final class AlignmentUniformity {

    private AlignmentUniformity() {}

    /**
     * Mean squared distance between positive pairs.
     *
     * @param x [n][dim], n >= 1
     * @param y [n][dim], y[i] is the positive of x[i]
     * @return a value in [0, 4]
     */
    public static double alignment(float[][] x, float[][] y) {
        int dim = Vectors.dim(x, "x");
        if (y == null || y.length != x.length) {
            throw new IllegalArgumentException("y has " + (y == null ? "null" : y.length)
                    + " rows, expected " + x.length);
        }
        float[] a = Vectors.normalisedFlat(x, dim, "x");
        float[] b = Vectors.normalisedFlat(y, dim, "y");
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += squaredDistance(a, i * dim, b, i * dim, dim);
        }
        return sum / x.length;
    }

    /**
     * Log of the mean Gaussian potential {@code exp(-2 ||x_i - x_j||^2)} over distinct pairs i &lt; j:
     * all n(n-1)/2 pairs when there are at most maxPairs, otherwise maxPairs pairs drawn uniformly
     * (with replacement) with the given seed.
     *
     * @param x [n][dim], n >= 2
     * @param maxPairs the most pairs to evaluate, >= 1
     * @param seed the sampling seed, used only when sampling
     * @return a value in [-8, 0]
     */
    public static double uniformity(float[][] x, int maxPairs, long seed) {
        int dim = Vectors.dim(x, "x");
        int n = x.length;
        if (n < 2) {
            throw new IllegalArgumentException("uniformity needs at least 2 vectors, got " + n);
        }
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be >= 1, got " + maxPairs);
        }
        float[] a = Vectors.normalisedFlat(x, dim, "x");
        long allPairs = (long) n * (n - 1) / 2;
        double sum = 0;
        long pairs;
        if (allPairs <= maxPairs) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    sum += Math.exp(-2 * squaredDistance(a, i * dim, a, j * dim, dim));
                }
            }
            pairs = allPairs;
        } else {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int p = 0; p < maxPairs; p++) {
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(n - 1);
                if (j >= i) {
                    j++;
                }
                sum += Math.exp(-2 * squaredDistance(a, i * dim, a, j * dim, dim));
            }
            pairs = maxPairs;
        }
        // each term is in [exp(-8), 1]: the plain mean neither overflows nor underflows
        return Math.log(sum / pairs);
    }

    private static double squaredDistance(float[] a, int ao, float[] b, int bo, int dim) {
        double s = 0;
        for (int t = 0; t < dim; t++) {
            double d = (double) a[ao + t] - b[bo + t];
            s += d * d;
        }
        return s;
    }
}
