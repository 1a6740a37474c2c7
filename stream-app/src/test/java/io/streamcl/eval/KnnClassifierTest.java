package io.streamcl.eval;

import static io.streamcl.eval.TestData.axis;
import static io.streamcl.eval.TestData.cluster;
import static io.streamcl.eval.TestData.concat;
import static io.streamcl.eval.TestData.gaussian;
import static io.streamcl.eval.TestData.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnnClassifierTest {

    @Test
    void shouldClassifyTwoSeparatedGaussianClustersPerfectly() {
        Random rnd = new Random(1);
        int dim = 16;
        float[][] memory = concat(cluster(rnd, axis(dim, 0, 3f), 300, 0.3), cluster(rnd, axis(dim, 1, 3f), 300, 0.3));
        int[] labels = concat(repeat(0, 300), repeat(1, 300));
        float[][] queries = concat(cluster(rnd, axis(dim, 0, 3f), 100, 0.3), cluster(rnd, axis(dim, 1, 3f), 100, 0.3));
        int[] queryLabels = concat(repeat(0, 100), repeat(1, 100));

        assertThat(new KnnClassifier(20, 0.07).accuracy(memory, labels, queries, queryLabels)).isEqualTo(1.0);
    }

    @Test
    void shouldScoreNearChanceWhenLabelsAreRandom() {
        Random rnd = new Random(2);
        float[][] memory = gaussian(rnd, 2000, 32);
        int[] labels = rnd.ints(2000, 0, 2).toArray();
        float[][] queries = gaussian(rnd, 1000, 32);
        int[] queryLabels = rnd.ints(1000, 0, 2).toArray();

        double accuracy = new KnnClassifier(50, 0.07).accuracy(memory, labels, queries, queryLabels);

        assertThat(accuracy).isBetween(0.42, 0.58);
    }

    @Test
    void shouldLetOneCloseNeighbourOutweighTwoFarOnesAtSmallTemperature() {
        float[][] memory = {unitAt(0.1), unitAt(0.5), unitAt(-0.5)};
        int[] labels = {7, 9, 9};
        float[][] query = {unitAt(0.0)};

        assertThat(new KnnClassifier(3, 0.01).predict(memory, labels, query)).containsExactly(7);
        // at a large temperature the weights are nearly equal and the majority wins
        assertThat(new KnnClassifier(3, 100).predict(memory, labels, query)).containsExactly(9);
    }

    @Test
    void shouldNotOverflowAtTinyTemperature() {
        float[][] memory = {unitAt(0.1), unitAt(0.2), unitAt(0.3)};
        int[] labels = {1, 2, 2};

        assertThat(new KnnClassifier(3, 1e-6).predict(memory, labels, new float[][] {unitAt(0.0)})).containsExactly(1);
    }

    @Test
    void shouldUseWholeMemoryWhenKExceedsMemorySize() {
        float[][] memory = {unitAt(0.0), unitAt(1.0), unitAt(1.1)};
        int[] labels = {1, 2, 2};
        float[][] query = {unitAt(0.0)};

        // k = 200 > 3: all three vote; at a large T the two label-2 items win
        assertThat(new KnnClassifier(200, 1000).predict(memory, labels, query)).containsExactly(2);
        assertThat(new KnnClassifier(1, 1000).predict(memory, labels, query)).containsExactly(1);
    }

    @Test
    void shouldPredictArbitraryLabelValues() {
        Random rnd = new Random(3);
        int dim = 8;
        int[] classLabels = {3, 17, 42, 1_000_000};
        float[][] memory = new float[0][];
        int[] labels = new int[0];
        float[][] queries = new float[0][];
        int[] queryLabels = new int[0];
        for (int c = 0; c < classLabels.length; c++) {
            memory = concat(memory, cluster(rnd, axis(dim, c, 2f), 50, 0.2));
            labels = concat(labels, repeat(classLabels[c], 50));
            queries = concat(queries, cluster(rnd, axis(dim, c, 2f), 10, 0.2));
            queryLabels = concat(queryLabels, repeat(classLabels[c], 10));
        }

        int[] predicted = new KnnClassifier(10, 0.07).predict(memory, labels, queries);

        assertThat(predicted).containsExactly(queryLabels);
    }

    @Test
    void shouldNotDependOnVectorScale() {
        Random rnd = new Random(4);
        float[][] memory = gaussian(rnd, 300, 12);
        int[] labels = rnd.ints(300, 0, 5).toArray();
        float[][] queries = gaussian(rnd, 100, 12);
        float[][] scaled = Arrays.stream(memory).map(r -> scale(r, 37f)).toArray(float[][]::new);
        KnnClassifier knn = new KnnClassifier(15, 0.1);

        assertThat(knn.predict(scaled, labels, queries)).containsExactly(knn.predict(memory, labels, queries));
    }

    @ParameterizedTest(name = "n={0} nq={1} dim={2} k={3} T={4}")
    @CsvSource({
        "1, 1, 1, 1, 0.07",
        "5, 130, 3, 2, 0.5",
        "200, 65, 7, 200, 0.07",
        "500, 200, 32, 20, 0.02",
        "1000, 129, 64, 1, 1.0",
        "777, 300, 128, 200, 0.07",
    })
    void shouldMatchNaiveReference(int n, int nq, int dim, int k, double temperature) {
        Random rnd = new Random(n * 31L + nq);
        float[][] memory = gaussian(rnd, n, dim);
        int[] labels = rnd.ints(n, 0, 7).map(c -> c * 5 + 2).toArray();
        float[][] queries = gaussian(rnd, nq, dim);

        int[] actual = new KnnClassifier(k, temperature).predict(memory, labels, queries);

        assertThat(actual).containsExactly(naivePredict(memory, labels, queries, k, temperature));
    }

    @Test
    void shouldReturnNothingForNoQueries() {
        assertThat(new KnnClassifier().predict(new float[][] {{1, 0}}, new int[] {0}, new float[0][])).isEmpty();
    }

    @Test
    void shouldRejectBadSettingsAndShapes() {
        assertThatThrownBy(() -> new KnnClassifier(0, 0.07)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KnnClassifier(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KnnClassifier(5, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KnnClassifier(5, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
        KnnClassifier knn = new KnnClassifier();
        float[][] memory = {{1, 0}, {0, 1}};
        assertThatThrownBy(() -> knn.predict(memory, new int[] {0}, memory))
                .hasMessageContaining("memoryLabels");
        assertThatThrownBy(() -> knn.predict(memory, new int[] {0, -1}, memory))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> knn.predict(memory, new int[] {0, 1}, new float[][] {{1, 0, 0}}))
                .hasMessageContaining("queries[0]");
        assertThatThrownBy(() -> knn.predict(new float[0][], new int[0], memory))
                .hasMessageContaining("memory is empty");
        assertThatThrownBy(() -> knn.predict(memory, new int[] {0, 1}, new float[][] {{Float.NaN, 0}}))
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> knn.accuracy(memory, new int[] {0, 1}, memory, new int[] {0}))
                .hasMessageContaining("queryLabels");
    }

    /** Sorts all memory by (similarity desc, index asc), keeps k, votes with exp(sim / T). */
    static int[] naivePredict(float[][] memory, int[] labels, float[][] queries, int k, double temperature) {
        int dim = memory[0].length;
        float[][] mem = Arrays.stream(memory).map(r -> Vectors.normalised(r, dim, "m", 0)).toArray(float[][]::new);
        int[] out = new int[queries.length];
        for (int qi = 0; qi < queries.length; qi++) {
            float[] q = Vectors.normalised(queries[qi], dim, "q", qi);
            float[] sims = new float[mem.length];
            for (int j = 0; j < mem.length; j++) {
                float s = 0;
                for (int t = 0; t < dim; t++) {
                    s += mem[j][t] * q[t];
                }
                sims[j] = s;
            }
            Integer[] order = IntStream.range(0, mem.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(j -> -sims[j]).thenComparingInt(j -> j));
            Map<Integer, Double> votes = new HashMap<>();
            for (int r = 0; r < Math.min(k, mem.length); r++) {
                int j = order[r];
                votes.merge(labels[j], Math.exp((sims[j] - sims[order[0]]) / temperature), Double::sum);
            }
            out[qi] = votes.entrySet().stream()
                    .max(Comparator.<Map.Entry<Integer, Double>>comparingDouble(Map.Entry::getValue)
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .orElseThrow().getKey();
        }
        return out;
    }

    static float[] unitAt(double angle) {
        return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }

    private static float[] scale(float[] row, float s) {
        float[] out = row.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }
}
