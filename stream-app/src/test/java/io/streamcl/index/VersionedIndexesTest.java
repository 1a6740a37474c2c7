package io.streamcl.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VersionedIndexesTest {

    @Test
    void shouldSearchNothingUntilAVersionCompletes() {
        try (VersionedIndexes indexes = new VersionedIndexes()) {
            indexes.put("a", 0, "m", 1, new float[] {1, 0});
            indexes.refresh();
            assertThat(indexes.complete()).isEmpty();
            assertThat(indexes.completed(1)).isTrue();
            assertThat(indexes.complete().orElseThrow().version()).isEqualTo(1);
            assertThat(indexes.complete().orElseThrow().size()).isEqualTo(1);
        }
    }

    @Test
    void shouldSwapToTheNewVersionOnlyWhenItCompletesAndNeverMixVersions() {
        try (VersionedIndexes indexes = new VersionedIndexes()) {
            indexes.put("a", 0, "m", 1, new float[] {1, 0});
            indexes.put("b", 0, "m", 1, new float[] {0, 1});
            indexes.completed(1);
            // a backfill under version 2: "a" is re-embedded, "b" not yet
            indexes.put("a", 0, "m", 2, new float[] {0, 1});
            indexes.refresh();
            VersionIndex searched = indexes.complete().orElseThrow();
            assertThat(searched.version()).isEqualTo(1);
            assertThat(searched.nearest(new float[] {1, 0}, 5, Set.of())).extracting(Neighbour::id, Neighbour::version)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 1L), org.assertj.core.groups.Tuple.tuple("b", 1L));
            assertThat(indexes.filling()).containsExactly(2L);

            indexes.put("b", 0, "m", 2, new float[] {1, 0});
            assertThat(indexes.completed(2)).isTrue();
            List<Neighbour> after = indexes.complete().orElseThrow().nearest(new float[] {1, 0}, 5, Set.of());
            assertThat(after).extracting(Neighbour::id).containsExactly("b", "a");
            assertThat(after).allMatch(n -> n.version() == 2);
            assertThat(indexes.filling()).isEmpty();

            indexes.put("c", 0, "m", 1, new float[] {1, 0}); // late, of a version the feed has left
            indexes.refresh();
            assertThat(indexes.complete().orElseThrow().size()).isEqualTo(2);
            assertThat(indexes.completed(1)).isFalse();
        }
    }

    @Test
    void shouldWriteAVersionFilledBetweenRefreshesAsOneSegment() {
        try (VersionedIndexes indexes = new VersionedIndexes()) {
            indexes.put("a", 0, "m", 1, new float[] {1, 0});
            indexes.completed(1);
            for (int i = 0; i < 5; i++) { // a backfill under version 2, while the feed refreshes what is searched
                indexes.put("x" + i, 0, "m", 2, new float[] {1, i});
                indexes.refresh();
            }
            indexes.completed(2);
            VersionIndex searched = indexes.complete().orElseThrow();
            assertThat(searched.size()).isEqualTo(5);
            assertThat(searched.segments()).isEqualTo(1); // no small segments for Lucene to merge
        }
    }

    @Test
    void shouldDropFilledVersionsThatAreOlderThanTheCompletedOne() {
        try (VersionedIndexes indexes = new VersionedIndexes()) {
            indexes.put("a", 0, "m", 2, new float[] {1, 0});
            indexes.put("a", 0, "m", 3, new float[] {1, 0});
            indexes.put("a", 0, "m", 4, new float[] {1, 0});
            assertThat(indexes.filling()).containsExactly(3L, 4L); // at most two at a time
            indexes.completed(5); // none of it came here: an empty index of version 5
            assertThat(indexes.filling()).isEmpty();
            assertThat(indexes.complete().orElseThrow().version()).isEqualTo(5);
            assertThat(indexes.complete().orElseThrow().size()).isZero();
        }
    }
}
