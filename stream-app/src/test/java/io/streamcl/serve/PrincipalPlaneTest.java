package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PCA onto a plane, against a naive reference: the eigenvectors of the covariance by Jacobi rotations. */
class PrincipalPlaneTest {

    @Test
    void shouldMatchTheCovariancesLeadingEigenvectorsOnManyShapes() {
        Random random = new Random(5);
        for (int[] shape : new int[][] {{3, 2}, {5, 3}, {40, 6}, {12, 30}, {200, 16}, {64, 64}}) {
            int n = shape[0];
            int d = shape[1];
            List<float[]> vectors = planted(random, n, d);
            PrincipalPlane.Projection p = PrincipalPlane.project(vectors);
            Reference ref = Reference.of(vectors);
            String what = n + " vectors of " + d;
            assertThat(p.explained()[0]).as(what).isCloseTo(ref.explained(0), within(1e-6));
            assertThat(p.explained()[1]).as(what).isCloseTo(ref.explained(1), within(1e-6));
            double[][] got = {p.x(), p.y()};
            for (int k = 0; k < 2; k++) {
                // an eigenvector's sign is the method's choice: compare the coordinates up to it
                double sign = Math.signum(got[k][0]) * Math.signum(ref.coordinate(0, k));
                for (int i = 0; i < n; i++) {
                    assertThat(got[k][i]).as("%s, axis %d, vector %d", what, k, i)
                            .isCloseTo(sign * ref.coordinate(i, k), within(1e-4));
                }
            }
        }
    }

    @Test
    void shouldPutPointsOnALineOnTheFirstAxisAndNothingOnTheSecond() {
        List<float[]> line = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            line.add(new float[] {i, 2 * i, -i});
        }
        PrincipalPlane.Projection p = PrincipalPlane.project(line);
        assertThat(p.explained()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(p.explained()[1]).isCloseTo(0.0, within(1e-9));
        assertThat(p.y()).containsOnly(new double[10], within(1e-6));
        // consecutive points are one step of |(1, 2, -1)| = sqrt(6) apart along the axis
        assertThat(Math.abs(p.x()[1] - p.x()[0])).isCloseTo(Math.sqrt(6), within(1e-9));
    }

    @Test
    void shouldGiveTheSamePictureEveryTime() {
        List<float[]> vectors = planted(new Random(9), 50, 8);
        PrincipalPlane.Projection a = PrincipalPlane.project(vectors);
        PrincipalPlane.Projection b = PrincipalPlane.project(new ArrayList<>(vectors));
        assertThat(b.x()).containsExactly(a.x());
        assertThat(b.y()).containsExactly(a.y());
    }

    @Test
    void shouldProjectNoneOneOrEqualVectorsToTheOrigin() {
        assertThat(PrincipalPlane.project(List.of()).x()).isEmpty();
        PrincipalPlane.Projection one = PrincipalPlane.project(List.<float[]>of(new float[] {1, 2}));
        assertThat(one.x()).containsExactly(0.0);
        assertThat(one.explained()).containsExactly(0.0, 0.0);
        PrincipalPlane.Projection same = PrincipalPlane.project(List.of(new float[] {1, 2}, new float[] {1, 2}));
        assertThat(same.x()).containsExactly(0.0, 0.0);
        assertThat(same.y()).containsExactly(0.0, 0.0);
    }

    @Test
    void shouldRefuseMixedDimensionsAndNonFiniteValues() {
        assertThatThrownBy(() -> PrincipalPlane.project(List.of(new float[2], new float[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 and 3");
        assertThatThrownBy(() -> PrincipalPlane.project(List.of(new float[] {Float.NaN, 0}, new float[2])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }

    /** Gaussian vectors with spreads 5, 3, 1, 0.5, ... along random orthogonal directions, off the origin. */
    private static List<float[]> planted(Random random, int n, int d) {
        double[][] basis = new double[d][d];
        for (int a = 0; a < d; a++) {
            for (int j = 0; j < d; j++) {
                basis[a][j] = random.nextGaussian();
            }
            for (int b = 0; b < a; b++) { // Gram-Schmidt
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += basis[a][j] * basis[b][j];
                }
                for (int j = 0; j < d; j++) {
                    basis[a][j] -= dot * basis[b][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += basis[a][j] * basis[a][j];
            }
            for (int j = 0; j < d; j++) {
                basis[a][j] /= Math.sqrt(norm);
            }
        }
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] v = new float[d];
            for (int a = 0; a < d; a++) {
                double spread = a == 0 ? 5 : a == 1 ? 3 : 1.0 / a;
                double c = spread * random.nextGaussian();
                for (int j = 0; j < d; j++) {
                    v[j] += (float) (c * basis[a][j]);
                }
            }
            v[0] += 7; // a mean to take away
            out.add(v);
        }
        return out;
    }

    /** The covariance's eigenvectors by cyclic Jacobi rotations: slow, plain, and sure. */
    private record Reference(double[][] centred, double[][] axes, double[] eigenvalues, double total) {
        static Reference of(List<float[]> vectors) {
            int n = vectors.size();
            int d = vectors.get(0).length;
            double[] mean = new double[d];
            vectors.forEach(v -> {
                for (int j = 0; j < d; j++) {
                    mean[j] += v[j] / (double) n;
                }
            });
            double[][] x = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    x[i][j] = vectors.get(i)[j] - mean[j];
                }
            }
            double[][] c = new double[d][d];
            for (double[] row : x) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        c[a][b] += row[a] * row[b];
                    }
                }
            }
            double total = 0;
            for (int a = 0; a < d; a++) {
                total += c[a][a];
            }
            double[][] v = new double[d][d];
            for (int a = 0; a < d; a++) {
                v[a][a] = 1;
            }
            for (int sweep = 0; sweep < 100; sweep++) {
                for (int p = 0; p < d; p++) {
                    for (int q = p + 1; q < d; q++) {
                        if (Math.abs(c[p][q]) < 1e-300) {
                            continue;
                        }
                        double theta = (c[q][q] - c[p][p]) / (2 * c[p][q]);
                        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                        if (theta == 0) {
                            t = 1;
                        }
                        double cos = 1 / Math.sqrt(t * t + 1);
                        double sin = t * cos;
                        for (int k = 0; k < d; k++) { // c = Jᵀ c J
                            double ckp = c[k][p];
                            double ckq = c[k][q];
                            c[k][p] = cos * ckp - sin * ckq;
                            c[k][q] = sin * ckp + cos * ckq;
                        }
                        for (int k = 0; k < d; k++) {
                            double cpk = c[p][k];
                            double cqk = c[q][k];
                            c[p][k] = cos * cpk - sin * cqk;
                            c[q][k] = sin * cpk + cos * cqk;
                        }
                        for (int k = 0; k < d; k++) {
                            double vkp = v[k][p];
                            double vkq = v[k][q];
                            v[k][p] = cos * vkp - sin * vkq;
                            v[k][q] = sin * vkp + cos * vkq;
                        }
                    }
                }
            }
            Integer[] order = new Integer[d];
            for (int a = 0; a < d; a++) {
                order[a] = a;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(c[b][b], c[a][a]));
            double[][] axes = new double[2][d];
            double[] eigenvalues = new double[2];
            for (int k = 0; k < Math.min(2, d); k++) {
                eigenvalues[k] = c[order[k]][order[k]];
                for (int j = 0; j < d; j++) {
                    axes[k][j] = v[j][order[k]];
                }
            }
            return new Reference(x, axes, eigenvalues, total);
        }

        double explained(int k) {
            return eigenvalues[k] / total;
        }

        double coordinate(int i, int k) {
            double dot = 0;
            for (int j = 0; j < centred[i].length; j++) {
                dot += centred[i][j] * axes[k][j];
            }
            return dot;
        }
    }
}
