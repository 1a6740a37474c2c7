package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/** Straightforward double-precision reference implementations (loops, log-sum-exp) and helpers. */
final class Naive {

    private Naive() {}

    static double sim(Similarity s, float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        switch (s) {
            case COSINE:
                return dot / (Math.max(Math.sqrt(na), 1e-12) * Math.max(Math.sqrt(nb), 1e-12));
            case DOT:
                return dot;
            case NEG_EUCLIDEAN:
                double d2 = 0;
                for (int i = 0; i < a.length; i++) {
                    double d = (double) a[i] - b[i];
                    d2 += d * d;
                }
                return -Math.sqrt(Math.max(d2, 1e-12));
            default:
                throw new AssertionError(s);
        }
    }

    /** -log softmax(logits)[target], where entries with include[j] == false are left out. */
    static double crossEntropy(double[] logits, boolean[] include, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < logits.length; j++) {
            if (include[j]) {
                max = Math.max(max, logits[j]);
            }
        }
        double sum = 0;
        for (int j = 0; j < logits.length; j++) {
            if (include[j]) {
                sum += Math.exp(logits[j] - max);
            }
        }
        return -(logits[target] - max - Math.log(sum));
    }

    /** InfoNCE; bank may be empty, self may be null (nothing excluded). */
    static double infoNce(float[][] q, float[][] k, float[][] bank, boolean[][] self, double tau, Similarity s) {
        return infoNce(q, k, bank, self, null, tau, s);
    }

    /** InfoNCE with logQ: log q_j (keyLogQ, null for none) subtracted from in-batch column j. */
    static double infoNce(float[][] q, float[][] k, float[][] bank, boolean[][] self, float[] keyLogQ, double tau,
            Similarity s) {
        int b = q.length;
        int kk = bank.length;
        double total = 0;
        for (int i = 0; i < b; i++) {
            double[] logits = new double[b + kk];
            boolean[] include = new boolean[b + kk];
            for (int j = 0; j < b; j++) {
                logits[j] = sim(s, q[i], k[j]) / tau - (keyLogQ == null ? 0 : keyLogQ[j]);
                include[j] = true;
            }
            for (int j = 0; j < kk; j++) {
                logits[b + j] = sim(s, q[i], bank[j]) / tau;
                include[b + j] = self == null || !self[i][j];
            }
            total += crossEntropy(logits, include, i);
        }
        return total / b;
    }

    static double ntXent(float[][] z1, float[][] z2, double tau, Similarity s) {
        int b = z1.length;
        float[][] z = new float[2 * b][];
        for (int i = 0; i < b; i++) {
            z[i] = z1[i];
            z[b + i] = z2[i];
        }
        double total = 0;
        for (int a = 0; a < 2 * b; a++) {
            double[] logits = new double[2 * b];
            boolean[] include = new boolean[2 * b];
            for (int c = 0; c < 2 * b; c++) {
                logits[c] = sim(s, z[a], z[c]) / tau;
                include[c] = c != a;
            }
            total += crossEntropy(logits, include, (a + b) % (2 * b));
        }
        return total / (2 * b);
    }

    static double margin(float[][] a, float[][] b, float[] y, double margin) {
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            double d2 = 0;
            for (int j = 0; j < a[i].length; j++) {
                double d = (double) a[i][j] - b[i][j];
                d2 += d * d;
            }
            double d = Math.sqrt(d2 + 1e-12);
            double hinge = Math.max(0, margin - d);
            total += y[i] * d2 / 2 + (1 - y[i]) * hinge * hinge / 2;
        }
        return total / a.length;
    }

    static float[][] gaussian(Random rnd, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) rnd.nextGaussian();
            }
        }
        return x;
    }

    static NDArray nd(NDManager m, float[][] x) {
        return nd(m, x, x[0].length);
    }

    static NDArray nd(NDManager m, float[][] x, int cols) {
        float[] flat = new float[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * cols, cols);
        }
        return m.create(flat, new Shape(x.length, cols));
    }

    static NDArray nd(NDManager m, boolean[][] x, int cols) {
        boolean[] flat = new boolean[x.length * cols];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * cols, cols);
        }
        return m.create(flat, new Shape(x.length, cols));
    }

    static float[][] tile(float[][] x) {
        float[][] t = new float[2 * x.length][];
        for (int i = 0; i < x.length; i++) {
            t[i] = x[i];
            t[x.length + i] = x[i];
        }
        return t;
    }

    /** |got - want| <= rel * max(1, |want|). */
    static boolean close(double got, double want, double rel) {
        return Math.abs(got - want) <= rel * Math.max(1.0, Math.abs(want));
    }
}
