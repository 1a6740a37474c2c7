package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamcl.eval.NextItemEvaluation.Options;
import io.streamcl.eval.NextItemEvaluation.Result;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NextItemEvaluationTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    /** Five items on the unit circle: cosines with (1,0) are 1, 0.8, 0.6, 0, -1. */
    private static Map<String, float[]> toyItems() {
        Map<String, float[]> items = new HashMap<>();
        items.put("a", new float[] {1, 0});
        items.put("b", new float[] {0.8f, 0.6f});
        items.put("c", new float[] {0.6f, 0.8f});
        items.put("d", new float[] {0, 1});
        items.put("e", new float[] {-1, 0});
        return items;
    }

    private static Map<String, List<String>> toyHistories() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("u1", List.of("a", "c"));      // (1,0): b .8, [c .6], d 0, e -1 without a -> rank 2
        h.put("u2", List.of("c", "a"));      // (0,1): d 1, b .6, [a 0], e -1 without c -> rank 3
        h.put("u3", List.of("b", "d"));      // (2,0): a 1, c .6, [d 0], e -1 without b -> rank 3
        h.put("u4", List.of("a"));           // one item: skipped
        h.put("u5", List.of("a", "b"));      // no vector: skipped
        return h;
    }

    private static Map<String, float[]> toyUsers() {
        return Map.of("u1", new float[] {1, 0}, "u2", new float[] {0, 1}, "u3", new float[] {2, 0},
                "u4", new float[] {1, 0});
    }

    @Test
    void shouldComputeHitRateAndNdcgOnAToyCaseByHand() {
        Result k2 = NextItemEvaluation.evaluate(toyHistories(), toyUsers(), toyItems(), new Options(2, true));
        assertThat(k2.users()).isEqualTo(3);
        assertThat(k2.skippedUsers()).isEqualTo(2);
        assertThat(k2.hitRate()).isCloseTo(1 / 3.0, within(1e-12));           // u1 only
        assertThat(k2.ndcg()).isCloseTo((1 / LOG2_3) / 3, within(1e-12));      // u1 at rank 2

        Result k3 = NextItemEvaluation.evaluate(toyHistories(), toyUsers(), toyItems(), new Options(3, true));
        assertThat(k3.hitRate()).isEqualTo(1.0);
        assertThat(k3.ndcg()).isCloseTo((1 / LOG2_3 + 0.5 + 0.5) / 3, within(1e-12));
    }

    @Test
    void shouldRankSeenItemsWhenNotExcluded() {
        // u1 keeps a (1) above c: rank 3; u2 keeps c (.8): rank 4; u3 keeps b (.8): rank 4
        Result r = NextItemEvaluation.evaluate(toyHistories(), toyUsers(), toyItems(), new Options(3, false));
        assertThat(r.hitRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(r.ndcg()).isCloseTo(0.5 / 3, within(1e-12));
    }

    @Test
    void shouldCountATargetOutsideTheCatalogueAsAMiss() {
        Map<String, List<String>> h = Map.of("u1", List.of("a", "zzz"), "u2", List.of("a", "b"));
        Map<String, float[]> users = Map.of("u1", new float[] {1, 0}, "u2", new float[] {1, 0});
        Result r = NextItemEvaluation.evaluate(h, users, toyItems(), new Options(1, true));
        assertThat(r.users()).isEqualTo(2);
        assertThat(r.hitRate()).isEqualTo(0.5); // u2: b is first once a is excluded
        assertThat(r.ndcg()).isEqualTo(0.5);
    }

    @Test
    void shouldBreakTiesByItemIdAndNeverExcludeTheTarget() {
        Map<String, float[]> items = Map.of("x", new float[] {1, 0}, "y", new float[] {1, 0}, "z", new float[] {1, 0});
        // y was seen before and is also the held-out item: it stays; x comes first on the tie
        Map<String, List<String>> h = Map.of("u", List.of("y", "z", "y"));
        Result r = NextItemEvaluation.evaluate(h, Map.of("u", new float[] {1, 0}), items, new Options(1, true));
        assertThat(r.hitRate()).isEqualTo(0.0);
        Result r2 = NextItemEvaluation.evaluate(h, Map.of("u", new float[] {1, 0}), items, new Options(2, true));
        assertThat(r2.hitRate()).isEqualTo(1.0);
        assertThat(r2.ndcg()).isCloseTo(1 / LOG2_3, within(1e-12));
    }

    @Test
    void shouldRankByTrainingPopularityExcludingSeenItems() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("u1", List.of("x", "y", "z"));
        h.put("u2", List.of("x", "y", "w"));
        h.put("u3", List.of("x", "q"));
        // training counts: x 3, y 2, the held-out z, w, q 0 (ties by id: q, w, z)
        // u1: [q, w, z] -> z rank 3; u2: [q, w, z] -> w rank 2; u3: [y, q, w, z] -> q rank 2
        Result r = NextItemEvaluation.mostPopular(h, new Options(2, true));
        assertThat(r.users()).isEqualTo(3);
        assertThat(r.hitRate()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.ndcg()).isCloseTo(2 / LOG2_3 / 3, within(1e-12));
    }

    @Test
    void shouldReturnNanWhenNoUserCanBeEvaluated() {
        Result r = NextItemEvaluation.mostPopular(Map.of("u", List.of("a")), Options.DEFAULT);
        assertThat(r.users()).isZero();
        assertThat(r.skippedUsers()).isEqualTo(1);
        assertThat(r.hitRate()).isNaN();
    }

    @Test
    void shouldLetAnOracleUserVectorBeatMostPopularClearlyOnSyntheticData() {
        SyntheticEvents g = SyntheticEvents.builder().users(2000).items(2000).clusters(20).eventsPerUser(20)
                .noiseProbability(0.1).popularitySkew(1.0).seed(11).build();
        List<EventRow> rows = g.generate();
        Map<String, List<String>> histories = NextItemEvaluation.histories(rows);
        assertThat(histories).hasSize(2000);

        // oracle: one dimension per cluster plus one for popularity; a user points at its taste clusters
        int dims = g.clusters() + 1;
        Map<String, float[]> items = new HashMap<>();
        for (String item : g.itemIds()) {
            float[] v = new float[dims];
            v[g.clusterOf(item)] = 1;
            v[g.clusters()] = (float) (0.1 * g.popularityWeight(item));
            items.put(item, v);
        }
        Map<String, float[]> users = new HashMap<>();
        for (String user : histories.keySet()) {
            float[] v = new float[dims];
            g.tasteClusters(user).forEach(c -> v[c] = 1);
            v[g.clusters()] = 1;
            users.put(user, v);
        }

        Result oracle = NextItemEvaluation.evaluate(histories, users, items, Options.DEFAULT);
        Result popular = NextItemEvaluation.mostPopular(histories, items.keySet(), Options.DEFAULT);

        assertThat(oracle.users()).isEqualTo(2000);
        assertThat(popular.users()).isEqualTo(2000);
        assertThat(oracle.hitRate()).isGreaterThan(0.25).isGreaterThan(3 * popular.hitRate());
        assertThat(oracle.ndcg()).isGreaterThan(3 * popular.ndcg());
        assertThat(popular.hitRate()).isGreaterThan(0); // a weak baseline, not a broken one

        EvalReport report = NextItemEvaluation.report("next item", Map.of("oracle", oracle, "most popular", popular));
        assertThat(report.value("oracle", "HitRate@10")).isEqualTo(oracle.hitRate());
        assertThat(report.value("most popular", "users")).isEqualTo(2000.0);
    }

    @Test
    void shouldRejectBadInputsNamingThem() {
        assertThatThrownBy(() -> new Options(0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be >= 1, got 0");
        assertThatThrownBy(() -> NextItemEvaluation.evaluate(toyHistories(), toyUsers(), Map.of(), Options.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("itemVectors is empty");
        Map<String, float[]> items = new HashMap<>(toyItems());
        items.put("f", new float[] {1, 2, 3});
        assertThatThrownBy(() -> NextItemEvaluation.evaluate(toyHistories(), toyUsers(), items, Options.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("itemVectors[f] has length 3, expected 2");
        assertThatThrownBy(() -> NextItemEvaluation.evaluate(toyHistories(),
                Map.of("u1", new float[] {Float.NaN, 0}), toyItems(), Options.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("userVectors[u1] has a non-finite value: NaN");
        assertThatThrownBy(() -> NextItemEvaluation.mostPopular(toyHistories(), List.of(), Options.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("catalogue is empty");
    }
}
