package io.streamcl.serve;

import java.util.List;
import java.util.Random;

/**
 * Principal component analysis onto a plane: the two directions along which a set of vectors spreads the most,
 * and each vector's coordinates along them. It is the dashboard's 2-D picture of an embedding space.
 *
 * <p>It works on the n x n Gram matrix of the centred vectors, G = X Xᵀ, rather than their d x d covariance: the
 * dashboard's sample bounds n to a few hundred while d (embedding.dim) may be thousands. With X = U Σ Vᵀ, the top
 * eigenvectors u<sub>k</sub> of G (eigenvalues σ<sub>k</sub>²) give the coordinates along the principal axes
 * directly, σ<sub>k</sub> u<sub>k</sub>, and the axes themselves, v<sub>k</sub> = Xᵀ u<sub>k</sub> / σ<sub>k</sub>.
 * The two eigenvectors come from block power iteration (orthonormalised each round) finished by a Rayleigh-Ritz
 * step, which orders them even when the iteration found only their span. Pure maths: no Kafka, no HTTP.
 */
final class PrincipalPlane {
    /** Enough for a picture, and a bound on the time: a round on a 512-vector sample is a quarter-million products. */
    private static final int MAX_ROUNDS = 300;
    private static final double TOLERANCE = 1e-12;

    /**
     * The vectors' coordinates on the plane.
     *
     * @param x         coordinate of each vector along the first principal axis, in input order
     * @param y         along the second
     * @param explained the share of the total variance along each axis (two values in [0, 1]; 0 when none)
     */
    record Projection(double[] x, double[] y, double[] explained) {}

    private PrincipalPlane() {}

    /**
     * @param vectors n vectors of one dimension, finite
     * @throws IllegalArgumentException when their dimensions differ or a value is not finite
     */
    static Projection project(List<float[]> vectors) {
        int n = vectors.size();
        if (n == 0) {
            return new Projection(new double[0], new double[0], new double[2]);
        }
        double[][] centred = centred(vectors);
        double[][] gram = gram(centred);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += gram[i][i];
        }
        double[][] u = new double[2][];
        double[] eigenvalues = new double[2];
        topTwoEigenvectors(gram, u, eigenvalues);
        double[] x = new double[n];
        double[] y = new double[n];
        double[][] coordinates = {x, y};
        double[] explained = new double[2];
        for (int k = 0; k < 2; k++) {
            double sigma = Math.sqrt(Math.max(0, eigenvalues[k]));
            if (total <= 0 || sigma == 0) {
                continue; // all vectors equal, or no second direction: they sit at 0 on this axis
            }
            // an eigenvector's sign is arbitrary: fix it by the axis in the embedding space, so that the picture
            // does not flip each time it is drawn again from a sample that hardly changed
            double sign = signOfLargest(axis(centred, u[k], sigma));
            for (int i = 0; i < n; i++) {
                coordinates[k][i] = sign * sigma * u[k][i];
            }
            explained[k] = Math.min(1, eigenvalues[k] / total);
        }
        return new Projection(x, y, explained);
    }

    /** The vectors minus their mean, as rows of doubles. */
    private static double[][] centred(List<float[]> vectors) {
        int n = vectors.size();
        int d = vectors.get(0).length;
        double[] mean = new double[d];
        for (float[] v : vectors) {
            if (v.length != d) {
                throw new IllegalArgumentException("vectors of " + d + " and " + v.length + " dimensions");
            }
            for (int j = 0; j < d; j++) {
                if (!Float.isFinite(v[j])) {
                    throw new IllegalArgumentException("a vector holds " + v[j]);
                }
                mean[j] += v[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[][] rows = new double[n][d];
        for (int i = 0; i < n; i++) {
            float[] v = vectors.get(i);
            for (int j = 0; j < d; j++) {
                rows[i][j] = v[j] - mean[j];
            }
        }
        return rows;
    }

    /** G = X Xᵀ: n x n, symmetric, so each pair is computed once. */
    private static double[][] gram(double[][] rows) {
        int n = rows.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i; k < n; k++) {
                double dot = 0;
                double[] a = rows[i];
                double[] b = rows[k];
                for (int j = 0; j < a.length; j++) {
                    dot += a[j] * b[j];
                }
                g[i][k] = dot;
                g[k][i] = dot;
            }
        }
        return g;
    }

    /**
     * Block power iteration with two vectors on a symmetric positive semi-definite matrix, then Rayleigh-Ritz:
     * fills {@code u} with the two leading eigenvectors (unit length, or zero where the matrix has no such
     * direction) and {@code eigenvalues} with theirs, largest first.
     */
    private static void topTwoEigenvectors(double[][] g, double[][] u, double[] eigenvalues) {
        int n = g.length;
        Random start = new Random(42); // a fixed start: the same sample always gives the same picture
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = start.nextGaussian();
            b[i] = start.nextGaussian();
        }
        orthonormalise(a, b);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            double[] a2 = times(g, a);
            double[] b2 = times(g, b);
            orthonormalise(a2, b2);
            double change = distance(a, a2) + (dot(b2, b2) == 0 ? 0 : distance(b, b2));
            a = a2;
            b = b2;
            if (change < TOLERANCE) {
                break;
            }
        }
        // Rayleigh-Ritz: the 2 x 2 matrix of G on span{a, b}, and its eigenvectors rotate a and b into order
        double[] ga = times(g, a);
        double[] gb = times(g, b);
        double p = dot(a, ga);
        double q = dot(a, gb);
        double r = dot(b, gb);
        double mid = (p + r) / 2;
        double radius = Math.hypot((p - r) / 2, q);
        eigenvalues[0] = mid + radius;
        eigenvalues[1] = mid - radius;
        double angle = 0.5 * Math.atan2(2 * q, p - r); // rotates (a, b) onto the eigenvectors of [[p, q], [q, r]]
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        u[0] = new double[n];
        u[1] = new double[n];
        for (int i = 0; i < n; i++) {
            u[0][i] = c * a[i] + s * b[i];
            u[1][i] = -s * a[i] + c * b[i];
        }
    }

    /**
     * Gram-Schmidt: a to unit length, b orthogonal to it and to unit length. What is left of b after taking out
     * its part along a may be rounding noise (the data has no second direction); scaled up, noise would point
     * anywhere, a included, so below a billionth of b's length it counts as nothing and b is zero.
     */
    private static void orthonormalise(double[] a, double[] b) {
        normalise(a, 0);
        double before = Math.sqrt(dot(b, b));
        double along = dot(a, b);
        for (int i = 0; i < b.length; i++) {
            b[i] -= along * a[i];
        }
        normalise(b, 1e-9 * before);
    }

    /** To unit length; to zero when no longer than {@code atMost}. */
    private static void normalise(double[] v, double atMost) {
        double norm = Math.sqrt(dot(v, v));
        double scale = norm <= atMost || norm == 0 ? 0 : 1 / norm;
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = dot(m[i], v);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** How far apart two unit vectors are as directions: their sign does not count. */
    private static double distance(double[] a, double[] b) {
        return 1 - Math.abs(dot(a, b));
    }

    /** v = Xᵀ u / σ: the principal axis in the vectors' own space. */
    private static double[] axis(double[][] rows, double[] u, double sigma) {
        double[] v = new double[rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < v.length; j++) {
                v[j] += rows[i][j] * u[i] / sigma;
            }
        }
        return v;
    }

    /** +1 or -1: the sign of the entry largest in magnitude. */
    private static double signOfLargest(double[] v) {
        double largest = 0;
        for (double x : v) {
            if (Math.abs(x) > Math.abs(largest)) {
                largest = x;
            }
        }
        return largest < 0 ? -1 : 1;
    }
}
