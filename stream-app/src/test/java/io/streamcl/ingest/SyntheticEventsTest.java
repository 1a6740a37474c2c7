package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SyntheticEventsTest {

    private static SyntheticEvents small(long seed) {
        return SyntheticEvents.builder().users(200).items(400).clusters(10).eventsPerUser(20).seed(seed).build();
    }

    @Test
    void shouldBeDeterministicForASeed() {
        assertThat(small(7).generate()).isEqualTo(small(7).generate());
        SyntheticEvents g = small(7);
        assertThat(g.generate()).isEqualTo(g.generate());
        assertThat(small(8).generate()).isNotEqualTo(small(7).generate());
    }

    @Test
    void shouldGenerateEveryUsersEventsInTimestampOrderInterleaved() {
        List<EventRow> rows = small(1).generate();

        assertThat(rows).hasSize(200 * 20);
        assertThat(rows).extracting(EventRow::timestampMillis).isSorted();
        Map<String, Long> perUser = new HashMap<>();
        rows.forEach(r -> perUser.merge(r.userId(), 1L, Long::sum));
        assertThat(perUser).hasSize(200).allSatisfy((u, n) -> assertThat(n).isEqualTo(20L));
        // interleaved: the first 100 events come from many users, not one after the other
        assertThat(rows.subList(0, 100).stream().map(EventRow::userId).distinct().count()).isGreaterThan(20);
    }

    @Test
    void shouldNeverGiveAUserTheSameItemTwice() {
        Map<String, Set<String>> seen = new HashMap<>();
        for (EventRow r : small(2).generate()) {
            assertThat(seen.computeIfAbsent(r.userId(), u -> new HashSet<>()).add(r.itemId()))
                    .as("%s repeated for %s", r.itemId(), r.userId()).isTrue();
        }
    }

    @Test
    void shouldConcentrateUsersEventsOnTheirTasteClusters() {
        SyntheticEvents g = SyntheticEvents.builder().users(300).items(1000).clusters(20).eventsPerUser(30)
                .noiseProbability(0.1).seed(3).build();
        int inTaste = 0;
        List<EventRow> rows = g.generate();
        for (EventRow r : rows) {
            if (g.tasteClusters(r.userId()).contains(g.clusterOf(r.itemId()))) {
                inTaste++;
            }
        }
        double fraction = (double) inTaste / rows.size();
        // 90 % from the taste clusters, plus the noise draws that land there by chance (~ 1.5/20 of 10 %)
        assertThat(fraction).isBetween(0.88, 0.95);
        // and every user likes 1 or 2 clusters
        for (int u = 0; u < 300; u++) {
            assertThat(g.tasteClusters(SyntheticEvents.userId(u))).hasSizeBetween(1, 2);
        }
    }

    @Test
    void shouldKeepAllEventsInTasteClustersWithoutNoise() {
        SyntheticEvents g = SyntheticEvents.builder().users(50).items(200).clusters(5).eventsPerUser(10)
                .noiseProbability(0).seed(4).build();
        assertThat(g.generate()).allSatisfy(r ->
                assertThat(g.tasteClusters(r.userId())).contains(g.clusterOf(r.itemId())));
    }

    @Test
    void shouldMakeClusterHeadsMorePopularThanTails() {
        SyntheticEvents g = SyntheticEvents.builder().users(1000).items(200).clusters(10).eventsPerUser(5)
                .noiseProbability(0).popularitySkew(1.0).seed(5).build();
        Map<String, Integer> count = new HashMap<>();
        g.generate().forEach(r -> count.merge(r.itemId(), 1, Integer::sum));
        // i0..i9 are rank 0 of clusters 0..9; i190..i199 are the last rank
        int heads = 0;
        int tails = 0;
        for (int c = 0; c < 10; c++) {
            heads += count.getOrDefault(SyntheticEvents.itemId(c), 0);
            tails += count.getOrDefault(SyntheticEvents.itemId(190 + c), 0);
        }
        assertThat(heads).isGreaterThan(5 * tails);
        assertThat(g.popularityWeight("i0")).isEqualTo(1.0);
        assertThat(g.popularityWeight("i10")).isEqualTo(0.5);
    }

    @Test
    void shouldAddClusterAttributesOnlyWhenAsked() {
        assertThat(small(6).generate()).allSatisfy(r -> assertThat(r.itemAttributes()).isEmpty());
        SyntheticEvents g = SyntheticEvents.builder().users(20).items(100).clusters(7).eventsPerUser(5)
                .clusterAttributes(true).build();
        assertThat(g.generate()).allSatisfy(r ->
                assertThat(r.itemAttributes()).isEqualTo(Map.of("cluster", "c" + g.clusterOf(r.itemId()))));
    }

    @Test
    void shouldProduceEventsTheDecoderAccepts() throws Exception {
        List<EventRow> rows = small(9).generate();
        for (int i = 0; i < rows.size(); i += 97) {
            EventDecoder.decode((io.streamcl.schema.UserEvent) EventItems.rawItem("x", rows.get(i)).getPayload());
        }
    }

    @Test
    void shouldAssignClustersRoundRobinAndRejectForeignIds() {
        SyntheticEvents g = small(0);
        assertThat(g.clusterOf("i0")).isEqualTo(0);
        assertThat(g.clusterOf("i13")).isEqualTo(3);
        assertThat(g.itemIds()).hasSize(400).startsWith("i0", "i1");
        assertThatThrownBy(() -> g.clusterOf("i400")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a synthetic item id: i400");
        assertThatThrownBy(() -> g.clusterOf("i07")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.clusterOf("u1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.tasteClusters("u200")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a synthetic user id: u200");
    }

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.users(0), "users must be >= 1, got 0"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.clusters(0),
                        "clusters must be >= 1, got 0"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.eventsPerUser(1),
                        "eventsPerUser must be >= 2, got 1"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.noiseProbability(1.5),
                        "noiseProbability must be in [0, 1], got 1.5"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.noiseProbability(Double.NaN),
                        "noiseProbability must be in [0, 1], got NaN"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.popularitySkew(-1),
                        "popularitySkew must be finite and >= 0, got -1.0"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.meanGapMillis(0),
                        "meanGapMillis must be in [1, 86400000], got 0"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.items(10).clusters(20),
                        "clusters must be <= items, got 20 > 10"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.items(50).clusters(5).eventsPerUser(51),
                        "eventsPerUser must be <= items (no item twice per user), got 51 > 50"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.minTasteClusters(3).maxTasteClusters(2),
                        "minTasteClusters must be <= maxTasteClusters, got 3 > 2"),
                Arguments.of((UnaryOperator<SyntheticEvents.Builder>) b -> b.clusters(3).maxTasteClusters(4),
                        "maxTasteClusters must be <= clusters, got 4 > 3"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSettings")
    void shouldRejectBadSettingsNamingTheParameter(UnaryOperator<SyntheticEvents.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(SyntheticEvents.builder()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
