package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.augment.SequenceAugmenter;
import io.streamcl.ingest.EventFeatures;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventPairsTest {
    private final EventFeatures features = new EventFeatures(1000, 4, 2);
    private final EventPairs pairs = new EventPairs(features, new SequenceAugmenter(), 10, 1000, 0, 2);

    @Test
    void shouldPairEachItemWithTheEarlierItemsOfItsSession() {
        assertThat(pairs.observe("u", "a", Map.of(), 0)).isNull(); // first of a session: no context
        EventPairs.Example e = pairs.observe("u", "b", Map.of("g", "x"), 10);
        assertThat(e.context()).containsExactly("a");
        assertThat(e.itemId()).isEqualTo("b");
        assertThat(pairs.observe("u", "c", Map.of(), 20).context()).containsExactly("a", "b");
        assertThat(pairs.observe("u", "d", Map.of(), 5000)).isNull(); // a gap: a new session
        assertThat(pairs.observe("u", "e", Map.of(), 5001).context()).containsExactly("d");
        assertThat(pairs.recent("u")).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void viewsShouldBeAnAugmentedContextAndTheItemAlone() {
        pairs.observe("u", "a", Map.of(), 0);
        EventPairs.Example e = pairs.observe("u", "b", Map.of("g", "x"), 10);
        EventPairs.Views v = pairs.views(e, new SplittableRandom(1));
        assertThat(v.key()).containsExactly(features.item("b", Map.of("g", "x")));
        assertThat(v.query()).containsExactly(features.sequence(List.of("a"))); // one item: unchanged
        assertThat(pairs.views(e, new SplittableRandom(1)).query()).containsExactly(v.query());
    }

    @Test
    void shouldForgetTheLeastRecentlyActiveUserBeyondMaxUsers() {
        pairs.observe("u1", "a", Map.of(), 0);
        pairs.observe("u2", "a", Map.of(), 1);
        pairs.observe("u1", "b", Map.of(), 2);
        pairs.observe("u3", "a", Map.of(), 3);
        assertThat(pairs.users()).isEqualTo(2);
        assertThat(pairs.recent("u2")).isEmpty();
        assertThat(pairs.recent("u1")).containsExactly("a", "b");
    }
}
