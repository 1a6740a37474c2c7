package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventFeaturesTest {
    private final EventFeatures features = new EventFeatures(1000, 3, 2);

    @Test
    void itemShouldFillOnlyTheFirstSlotWithItsIdThenItsSortedAttributes() {
        float[] x = features.item("i7", Map.of("genre", "drama", "year", "1999"));
        assertThat(x).hasSize(6);
        assertThat(x[0]).isEqualTo(features.bucket("id:i7"));
        assertThat(x[1]).isEqualTo(features.bucket("a:genre=drama")); // sorted by key; "year" is cut off
        assertThat(x).containsSequence(0f, 0f, 0f, 0f);
    }

    @Test
    void sequenceShouldKeepTheNewestItemsOldestFirst() {
        float[] x = features.sequence(List.of("a", "b", "c", "d"));
        assertThat(x).containsExactly(features.bucket("id:b"), 0, features.bucket("id:c"), 0, features.bucket("id:d"), 0);
        assertThat(features.sequence(List.of("a"))).containsExactly(features.bucket("id:a"), 0, 0, 0, 0, 0);
    }

    @Test
    void bucketsShouldBeNonZeroBelowTheVocabularyAndDeterministic() {
        for (int i = 0; i < 5000; i++) {
            int b = features.bucket("id:i" + i);
            assertThat(b).isBetween(1, 999).isEqualTo(new EventFeatures(1000, 1, 1).bucket("id:i" + i));
        }
    }

    @Test
    void shouldRejectBadShapes() {
        assertThatThrownBy(() -> new EventFeatures(8, 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventFeatures(1000, 0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventFeatures(1000, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
