package io.streamcl.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionIndexTest {

    /** Clustered unit vectors, as a trained encoder makes them: 100 gaussian centres, noise of the same scale. */
    static Map<String, float[]> clustered(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[100][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        Map<String, float[]> vectors = new LinkedHashMap<>();
        for (int j = 0; j < n; j++) {
            float[] c = centres[r.nextInt(centres.length)];
            float[] v = new float[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = c[i] + (float) r.nextGaussian();
            }
            vectors.put("item:" + j, Vectors.unit(v));
        }
        return vectors;
    }

    @Test
    void shouldFindNinetyFivePercentOfTheExactTopTenAmongTenThousandVectors() {
        Map<String, float[]> vectors = clustered(10_000, 64, 7);
        try (VersionIndex index = new VersionIndex(3)) {
            int partition = 0;
            for (Map.Entry<String, float[]> e : vectors.entrySet()) {
                index.put(e.getKey(), partition++ % 4, "m", e.getValue());
            }
            index.refresh();
            assertThat(index.size()).isEqualTo(10_000);
            double recall = 0;
            List<String> ids = List.copyOf(vectors.keySet());
            int queries = 200;
            for (int q = 0; q < queries; q++) {
                String id = ids.get(q * 37);
                List<Neighbour> found = index.nearest(vectors.get(id), 10, Set.of(id));
                assertThat(found).hasSize(10).allMatch(n -> n.version() == 3).noneMatch(n -> n.id().equals(id));
                recall += ExactNeighbours.recall(ExactNeighbours.top(vectors, vectors.get(id), 10, Set.of(id)),
                        found.stream().map(Neighbour::id).toList());
            }
            recall /= queries;
            System.out.printf("[VersionIndexTest] recall@10 %.3f over %d queries, 10,000 vectors%n", recall, queries);
            assertThat(recall).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void shouldScoreByCosineAndLeaveOutTheExcludedIds() {
        try (VersionIndex index = new VersionIndex(1)) {
            index.put("a", 0, "m", new float[] {1, 0});
            index.put("b", 0, "m", new float[] {3, 3}); // not unit: cosine does not care
            index.put("c", 1, "m", new float[] {0, -1});
            index.refresh();
            List<Neighbour> found = index.nearest(new float[] {2, 0}, 3, Set.of());
            assertThat(found).extracting(Neighbour::id).containsExactly("a", "b", "c");
            assertThat(found.get(0).score()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(found.get(1).score()).isCloseTo(Math.sqrt(0.5), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(found.get(2).score()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(index.nearest(new float[] {1, 0}, 3, Set.of("a", "c"))).extracting(Neighbour::id)
                    .containsExactly("b");
            assertThat(index.vector("b").orElseThrow()).containsExactly((float) Math.sqrt(0.5), (float) Math.sqrt(0.5));
        }
    }

    @Test
    void shouldReplaceAnIdsVectorAndDropWhatLeaves() {
        try (VersionIndex index = new VersionIndex(1)) {
            index.put("a", 0, "m", new float[] {1, 0});
            index.put("b", 1, "m", new float[] {0, 1});
            index.put("a", 0, "m", new float[] {-1, 0});
            index.refresh();
            assertThat(index.size()).isEqualTo(2);
            assertThat(index.vector("a").orElseThrow()).containsExactly(-1f, 0f);
            index.removePartition(1);
            index.remove("a");
            index.refresh();
            assertThat(index.size()).isZero();
            assertThat(index.nearest(new float[] {1, 0}, 5, Set.of())).isEmpty();
            assertThat(index.vector("a")).isEmpty();
        }
    }

    @Test
    void shouldRefuseVectorsItCannotCompare() {
        try (VersionIndex index = new VersionIndex(1)) {
            assertThat(index.nearest(new float[] {1, 0}, 5, Set.of())).isEmpty(); // empty: nothing to find
            index.put("a", 0, "m", new float[] {1, 0});
            for (float[] bad : List.of(new float[] {0, 0}, new float[] {Float.NaN, 1}, new float[] {1, 2, 3},
                    new float[0])) {
                assertThatThrownBy(() -> index.put("b", 0, "m", bad)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> index.nearest(bad, 5, Set.of())).isInstanceOf(IllegalArgumentException.class);
            }
            assertThatThrownBy(() -> index.nearest(new float[] {1, 0}, 0, Set.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldExcludeMoreIdsThanABooleanQueryHoldsClauses() {
        try (VersionIndex index = new VersionIndex(1)) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                index.put("i" + i, 0, "m", new float[] {1, i / 2_000f});
                if (i < 1_990) {
                    seen.add("i" + i);
                }
            }
            index.refresh();
            assertThat(index.nearest(new float[] {1, 0}, 20, seen)).hasSize(10)
                    .allMatch(n -> !seen.contains(n.id()));
        }
    }
}
