package io.streamcl.eval;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Linear-probe accuracy, the linear evaluation protocol of self-supervised learning (e.g. SimCLR,
 * Chen et al. 2020): a linear classifier is trained on frozen embeddings and scored on held-out ones.
 *
 * <p>The probe measures what a linear model can read off the embedding. It complements
 * {@link KnnClassifier}: kNN needs no training and rewards classes that form tight cosine
 * neighbourhoods, while a linear probe only needs the classes to lie on different sides of some
 * hyperplanes, so it can use one informative direction buried under noisy ones (where cosine
 * neighbourhoods are dominated by the noise).
 *
 * <p>Protocol:
 * <ol>
 *   <li>Every feature is standardised, {@code (x - mean) / max(std, 1e-6)}, with the mean and
 *       standard deviation of the train set; the test set gets the same transform.</li>
 *   <li>A multinomial logistic regression (weights and bias, both starting at 0) is fitted by
 *       minimising the mean softmax cross-entropy plus {@code weightDecay / 2 * ||W||^2} (the bias is
 *       not decayed), with Adam (beta1 = 0.9, beta2 = 0.999, eps = 1e-8) on mini-batches, for a fixed
 *       number of epochs. The learning rate follows a cosine decay from learningRate to 0 over all
 *       steps, so the last epochs settle instead of jittering around the optimum.</li>
 *   <li>The prediction is the class with the largest logit (ties: the smaller label).</li>
 * </ol>
 *
 * <p>The defaults suit tens of thousands of rows: at 60,000 rows they make about 7,000 steps. With a
 * few thousand rows they make only a few hundred, too few to converge; use a smaller batch or a larger
 * learning rate there.
 *
 * <p>Labels are any non-negative ints, in any number. Training is single-threaded and the mini-batch
 * order comes from a {@link SplittableRandom} with the given seed, so a fixed seed gives the same
 * result whatever the number of threads. ({@link Math#exp} may differ in the last bit between JVMs and
 * CPUs, so across machines the accuracy can differ in rare near-ties.)
 */
public final class LinearProbe {

    public static final int DEFAULT_EPOCHS = 30;
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    public static final double DEFAULT_WEIGHT_DECAY = 1e-4;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final long DEFAULT_SEED = 42;

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;
    private static final double MIN_STD = 1e-6;

    private final int epochs;
    private final double learningRate;
    private final double weightDecay;
    private final int batchSize;
    private final long seed;

    /**
     * A probe with {@value #DEFAULT_EPOCHS} epochs, learning rate {@value #DEFAULT_LEARNING_RATE},
     * weight decay {@value #DEFAULT_WEIGHT_DECAY}, batch size {@value #DEFAULT_BATCH_SIZE} and seed
     * {@value #DEFAULT_SEED}.
     */
    public LinearProbe() {
        this(DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, DEFAULT_WEIGHT_DECAY, DEFAULT_BATCH_SIZE, DEFAULT_SEED);
    }

    /**
     * @param epochs passes over the train set, >= 1
     * @param learningRate the peak Adam step size, finite and > 0
     * @param weightDecay the L2 penalty on the weights, finite and >= 0
     * @param batchSize examples per step, >= 1
     * @param seed the seed of the mini-batch order
     */
    public LinearProbe(int epochs, double learningRate, double weightDecay, int batchSize, long seed) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be finite and >= 0, got " + weightDecay);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.epochs = epochs;
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int epochs() {
        return epochs;
    }

    public double learningRate() {
        return learningRate;
    }

    public double weightDecay() {
        return weightDecay;
    }

    public int batchSize() {
        return batchSize;
    }

    public long seed() {
        return seed;
    }

    /**
     * Trains a probe on the train set and predicts the test set.
     *
     * @param train [n][dim] embeddings, n >= 1, finite
     * @param trainLabels [n] labels, >= 0
     * @param test [nq][dim] embeddings, finite
     * @return [nq] the predicted label of every test row
     */
    public int[] predict(float[][] train, int[] trainLabels, float[][] test) {
        int dim = Vectors.dim(train, "train");
        ClassIndex classes = ClassIndex.of(trainLabels, train.length, "trainLabels");
        if (test == null) {
            throw new IllegalArgumentException("test is null");
        }
        float[] x = flat(train, dim, "train");
        float[] q = flat(test, dim, "test");
        int n = train.length;

        double[] mean = new double[dim];
        double[] scale = new double[dim];
        standardisation(x, n, dim, mean, scale);
        standardise(x, dim, mean, scale);
        standardise(q, dim, mean, scale);

        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = classes.classOf(i);
        }
        int numClasses = classes.size();
        float[] w = new float[numClasses * dim];
        float[] b = new float[numClasses];
        fit(x, y, n, dim, numClasses, w, b);

        int[] predictions = new int[test.length];
        double[] logits = new double[numClasses];
        for (int i = 0; i < test.length; i++) {
            logits(w, b, q, i * dim, dim, numClasses, logits);
            int best = 0;
            for (int c = 1; c < numClasses; c++) {
                if (logits[c] > logits[best]) {
                    best = c;
                }
            }
            predictions[i] = classes.label(best);
        }
        return predictions;
    }

    /**
     * Top-1 accuracy on the test set of a probe trained on the train set. A test label that does not
     * occur in the train set is always counted wrong.
     *
     * @param train [n][dim] embeddings, n >= 1, finite
     * @param trainLabels [n] labels, >= 0
     * @param test [nq][dim] embeddings, nq >= 1, finite
     * @param testLabels [nq] labels, >= 0
     * @return the fraction of test rows whose predicted label equals their own, in [0, 1]
     */
    public double accuracy(float[][] train, int[] trainLabels, float[][] test, int[] testLabels) {
        if (test == null || test.length == 0) {
            throw new IllegalArgumentException("test is empty");
        }
        ClassIndex.checkLabels(testLabels, test.length, "testLabels");
        return ClassIndex.accuracy(predict(train, trainLabels, test), testLabels);
    }

    private void fit(float[] x, int[] y, int n, int dim, int numClasses, float[] w, float[] b) {
        int params = numClasses * dim;
        float[] gw = new float[params];
        double[] gb = new double[numClasses];
        // the Adam state is only classes x dim, so keeping it in double costs nothing
        double[] mw = new double[params];
        double[] vw = new double[params];
        double[] mb = new double[numClasses];
        double[] vb = new double[numClasses];
        double[] p = new double[numClasses];

        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        long stepsPerEpoch = (n + batchSize - 1) / batchSize;
        long totalSteps = stepsPerEpoch * epochs;
        long step = 0;
        double beta1Power = 1;
        double beta2Power = 1;

        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, rnd);
            for (int start = 0; start < n; start += batchSize) {
                int end = Math.min(n, start + batchSize);
                float inverseBatch = 1f / (end - start);
                Arrays.fill(gw, 0f);
                Arrays.fill(gb, 0);
                for (int r = start; r < end; r++) {
                    int i = order[r];
                    int off = i * dim;
                    logits(w, b, x, off, dim, numClasses, p);
                    softmaxInPlace(p, numClasses);
                    p[y[i]] -= 1;
                    for (int c = 0; c < numClasses; c++) {
                        float g = (float) p[c] * inverseBatch;
                        gb[c] += g;
                        axpy(g, x, off, gw, c * dim, dim);
                    }
                }

                beta1Power *= BETA1;
                beta2Power *= BETA2;
                double lr = learningRate * 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
                // bias correction folded into the step size, as in Kingma & Ba, sec. 2
                double stepSize = lr * Math.sqrt(1 - beta2Power) / (1 - beta1Power);
                double eps = EPSILON * Math.sqrt(1 - beta2Power);
                for (int k = 0; k < params; k++) {
                    double g = gw[k] + weightDecay * w[k];
                    mw[k] = BETA1 * mw[k] + (1 - BETA1) * g;
                    vw[k] = BETA2 * vw[k] + (1 - BETA2) * g * g;
                    w[k] -= (float) (stepSize * mw[k] / (Math.sqrt(vw[k]) + eps));
                }
                for (int c = 0; c < numClasses; c++) {
                    double g = gb[c];
                    mb[c] = BETA1 * mb[c] + (1 - BETA1) * g;
                    vb[c] = BETA2 * vb[c] + (1 - BETA2) * g * g;
                    b[c] -= (float) (stepSize * mb[c] / (Math.sqrt(vb[c]) + eps));
                }
                step++;
            }
        }
    }

    private static void logits(float[] w, float[] b, float[] x, int off, int dim, int numClasses, double[] out) {
        for (int c = 0; c < numClasses; c++) {
            out[c] = b[c] + dot(w, c * dim, x, off, dim);
        }
    }

    /** Four partial sums: the JIT does not vectorise a float reduction, but it overlaps independent ones. */
    private static float dot(float[] a, int ao, float[] x, int xo, int dim) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int t = 0;
        for (; t + 3 < dim; t += 4) {
            s0 += a[ao + t] * x[xo + t];
            s1 += a[ao + t + 1] * x[xo + t + 1];
            s2 += a[ao + t + 2] * x[xo + t + 2];
            s3 += a[ao + t + 3] * x[xo + t + 3];
        }
        for (; t < dim; t++) {
            s0 += a[ao + t] * x[xo + t];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void axpy(float g, float[] x, int xo, float[] out, int oo, int dim) {
        for (int t = 0; t < dim; t++) {
            out[oo + t] += g * x[xo + t];
        }
    }

    /** Subtracting the max keeps exp from overflowing once the weights grow on separable data. */
    private static void softmaxInPlace(double[] z, int numClasses) {
        double max = z[0];
        for (int c = 1; c < numClasses; c++) {
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < numClasses; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < numClasses; c++) {
            z[c] /= sum;
        }
    }

    private static void shuffle(int[] order, SplittableRandom rnd) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    /** Two passes (mean, then spread) so a large common offset does not cancel the variance away. */
    private static void standardisation(float[] x, int n, int dim, double[] mean, double[] scale) {
        for (int i = 0; i < n; i++) {
            int off = i * dim;
            for (int t = 0; t < dim; t++) {
                mean[t] += x[off + t];
            }
        }
        for (int t = 0; t < dim; t++) {
            mean[t] /= n;
        }
        double[] sumSq = new double[dim];
        for (int i = 0; i < n; i++) {
            int off = i * dim;
            for (int t = 0; t < dim; t++) {
                double d = x[off + t] - mean[t];
                sumSq[t] += d * d;
            }
        }
        for (int t = 0; t < dim; t++) {
            // a constant train feature is exactly 0 after centring (the mean of equal floats is exact),
            // so its weight never leaves 0 and the floor only has to keep 0 / 0 out
            scale[t] = 1 / Math.max(Math.sqrt(sumSq[t] / n), MIN_STD);
        }
    }

    private static void standardise(float[] x, int dim, double[] mean, double[] scale) {
        for (int off = 0; off < x.length; off += dim) {
            for (int t = 0; t < dim; t++) {
                x[off + t] = (float) ((x[off + t] - mean[t]) * scale[t]);
            }
        }
    }

    /** A row-major copy; every row must have length dim and finite values. */
    private static float[] flat(float[][] rows, int dim, String name) {
        long size = (long) rows.length * dim;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(name + " is too large: " + rows.length + " x " + dim);
        }
        float[] out = new float[(int) size];
        for (int i = 0; i < rows.length; i++) {
            float[] row = rows[i];
            if (row == null || row.length != dim) {
                throw new IllegalArgumentException(name + "[" + i + "] has length "
                        + (row == null ? "null" : row.length) + ", expected " + dim);
            }
            for (int t = 0; t < dim; t++) {
                if (!Float.isFinite(row[t])) {
                    throw new IllegalArgumentException(name + "[" + i + "] has a non-finite value: " + row[t]);
                }
            }
            System.arraycopy(row, 0, out, i * dim, dim);
        }
        return out;
    }


    @Override
    public String toString() {
        return "LinearProbe[epochs=" + epochs + ", learningRate=" + learningRate + ", weightDecay="
                + weightDecay + ", batchSize=" + batchSize + ", seed=" + seed + "]";
    }
}
