package io.streamcl.ingest;

import io.streamcl.ingest.ImageTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageTensorTest {

    @Test
    void shouldIndexChannelMajor() {
        float[] d = new float[2 * 3 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        ImageTensor t = new ImageTensor(2, 3, 4, d);
        assertThat(t.get(0, 0, 0)).isEqualTo(0f);
        assertThat(t.get(0, 1, 2)).isEqualTo(6f);
        assertThat(t.get(1, 2, 3)).isEqualTo(23f);
        assertThat(t.size()).isEqualTo(24);
    }

    @Test
    void shouldRejectWrongDataLength() {
        assertThatThrownBy(() -> new ImageTensor(1, 2, 2, new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 4 floats, got 3");
    }

    @Test
    void shouldRejectNonPositiveSizes() {
        assertThatThrownBy(() -> new ImageTensor(0, 2, 2, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
        assertThatThrownBy(() -> new ImageTensor(1, 0, 2, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height and width");
        assertThatThrownBy(() -> new ImageTensor(1, 2, -1, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height and width");
        assertThatThrownBy(() -> new ImageTensor(1, 2, 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
    }

    @Test
    void shouldCompareByContent() {
        assertThat(new ImageTensor(1, 1, 2, new float[] {0.1f, 0.2f}))
                .isEqualTo(new ImageTensor(1, 1, 2, new float[] {0.1f, 0.2f}))
                .hasSameHashCodeAs(new ImageTensor(1, 1, 2, new float[] {0.1f, 0.2f}))
                .isNotEqualTo(new ImageTensor(1, 2, 1, new float[] {0.1f, 0.2f}));
        assertThat(new ImageTensor(1, 1, 2, new float[2])).hasToString("ImageTensor[1x1x2 (CxHxW)]");
    }
}
