package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEmbeddingsTest {

    @Test
    void shouldKeepTheNewestIdsOfEachKindAndOnlyTheirVectors() {
        RecentEmbeddings sample = new RecentEmbeddings(3);
        for (int i = 0; i < 5; i++) {
            sample.arrived("image", "i" + i, "L" + (i % 2));
            sample.published("image", "i" + i, 1, new float[] {i});
        }
        sample.arrived("sentence", "s0", null);
        assertThat(sample.embedded("image")).extracting(RecentEmbeddings.Sampled::id).containsExactly("i2", "i3", "i4");
        assertThat(sample.embedded("sentence")).as("arrived, not embedded yet").isEmpty();
        assertThat(sample.kinds()).containsExactlyInAnyOrder("image", "sentence");
        assertThat(sample.embedded("user")).isEmpty();

        sample.published("image", "i0", 2, new float[] {9}); // left the sample: not kept
        assertThat(sample.embedded("image")).extracting(RecentEmbeddings.Sampled::id).doesNotContain("i0");
    }

    @Test
    void shouldFollowAnIdToItsNewestVersionAndKeepItsVectorWhenItIsSentAgain() {
        RecentEmbeddings sample = new RecentEmbeddings(2);
        sample.arrived("image", "a", "shoe");
        sample.published("image", "a", 1, new float[] {1, 1});
        sample.arrived("image", "b", "bag");
        sample.published("image", "b", 1, new float[] {2, 2});
        float[] backfilled = {3, 3};
        sample.published("image", "a", 2, backfilled);
        backfilled[0] = 99; // the caller's array is not the sample's
        sample.arrived("image", "a", "boot"); // sent again: the newest now, its label changed
        List<RecentEmbeddings.Sampled> now = sample.embedded("image");
        assertThat(now).extracting(RecentEmbeddings.Sampled::id).containsExactly("b", "a");
        RecentEmbeddings.Sampled a = now.get(1);
        assertThat(a.label()).isEqualTo("boot");
        assertThat(a.version()).isEqualTo(2);
        assertThat(a.vector()).containsExactly(3, 3);
    }

    @Test
    void shouldCutLongLabelsAndDropBlankOnes() {
        RecentEmbeddings sample = new RecentEmbeddings(4);
        sample.arrived("image", "long", "y".repeat(10_000));
        sample.arrived("image", "blank", "   ");
        sample.published("image", "long", 0, new float[1]);
        sample.published("image", "blank", 0, new float[1]);
        List<RecentEmbeddings.Sampled> s = sample.embedded("image");
        assertThat(s.get(0).label()).hasSize(RecentEmbeddings.MAX_LABEL_CHARS + 1).endsWith("…");
        assertThat(s.get(1).label()).isNull();
    }
}
