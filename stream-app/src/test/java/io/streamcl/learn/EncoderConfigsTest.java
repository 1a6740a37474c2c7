package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configs are on the models topic: their keys, order and formats must stay what snapshots already carry. */
class EncoderConfigsTest {

    @Test
    void shouldWriteEachSpecAsSnapshotsAlwaysHaveAndReadItBack() {
        ImageCnnSpec image = new ImageCnnSpec(3, 32, new int[] {16, 32}, 128, 64);
        assertThat(List.copyOf(image.config().entrySet())).containsExactly(Map.entry("type", "image-cnn"),
                Map.entry("channels", "3"), Map.entry("size", "32"), Map.entry("conv_channels", "16,32"),
                Map.entry("embedding_dim", "128"), Map.entry("projection_dim", "64"), Map.entry("norm", "none"),
                Map.entry("embedding", "unit"));
        assertThat(ImageCnnSpec.fromConfig(image.config())).isEqualTo(image);
        ImageCnnSpec batchNorm = new ImageCnnSpec(1, 28, new int[] {16, 32, 64}, 128, 64, ImageCnnSpec.BATCH_NORM);
        assertThat(ImageCnnSpec.fromConfig(batchNorm.config())).isEqualTo(batchNorm);
        ImageCnnSpec standardized = new ImageCnnSpec(1, 28, new int[] {16, 32}, 128, 64, ImageCnnSpec.NO_NORM,
                ImageCnnSpec.STANDARDIZED_EMBEDDING);
        assertThat(ImageCnnSpec.fromConfig(standardized.config())).isEqualTo(standardized);

        TextEncoderSpec text = new TextEncoderSpec(4096, 64, 32, 0.1f, 128, 64);
        assertThat(List.copyOf(text.config().entrySet())).containsExactly(Map.entry("type", "text-hashed-bag"),
                Map.entry("vocab_size", "4096"), Map.entry("max_features", "64"), Map.entry("token_dim", "32"),
                Map.entry("dropout", "0.1"), Map.entry("embedding_dim", "128"), Map.entry("projection_dim", "64"),
                Map.entry("embedding", "unit"), Map.entry("norm", "none"));
        assertThat(TextEncoderSpec.fromConfig(text.config())).isEqualTo(text);
        Map<String, String> older = new LinkedHashMap<>(text.config());
        older.remove("embedding");
        older.remove("norm");
        assertThat(TextEncoderSpec.fromConfig(older)).as("a sentence model from before the settings").isEqualTo(text);
        TextEncoderSpec layerNorm = new TextEncoderSpec(4096, 64, 32, 0.1f, 128, 64, "unit", TextEncoderSpec.LAYER_NORM);
        assertThat(TextEncoderSpec.fromConfig(layerNorm.config())).isEqualTo(layerNorm);
        Map<String, String> otherNorm = new LinkedHashMap<>(layerNorm.config());
        otherNorm.put("norm", "batch");
        assertThatThrownBy(() -> TextEncoderSpec.fromConfig(otherNorm)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("norm 'batch'");

        EventEncoderSpec event = new EventEncoderSpec(8192, 20, 4, 32, 64, 32);
        assertThat(List.copyOf(event.config().entrySet())).containsExactly(
                Map.entry("type", "event-item-sequence"), Map.entry("vocab_size", "8192"), Map.entry("slots", "20"),
                Map.entry("features_per_item", "4"), Map.entry("token_dim", "32"), Map.entry("embedding_dim", "64"),
                Map.entry("projection_dim", "32"));
        assertThat(EventEncoderSpec.fromConfig(event.config())).isEqualTo(event);
    }

    @Test
    void shouldReadAnImageModelPublishedBeforeNormExistedAsOneWithoutNorm() {
        Map<String, String> old = new LinkedHashMap<>(new ImageCnnSpec(1, 28, new int[] {16, 32}, 128, 64).config());
        old.remove("norm");
        old.remove("embedding");
        assertThat(ImageCnnSpec.fromConfig(old).norm()).isEqualTo(ImageCnnSpec.NO_NORM);
        assertThat(ImageCnnSpec.fromConfig(old).embedding()).as("nor a standardised embedding")
                .isEqualTo(ImageCnnSpec.UNIT_EMBEDDING);
        assertThat(ImageCnnSpec.fromConfig(old).embeddingStandardization()).isNull();
        old.put("norm", "group");
        assertThatThrownBy(() -> ImageCnnSpec.fromConfig(old)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("norm 'group'");
    }

    @Test
    void shouldRefuseAConfigOfAnotherTypeOrWithoutAValueOrWithOneTheSpecRefuses() {
        Map<String, String> image = new ImageCnnSpec(1, 8, new int[] {4}, 8, 4).config();
        assertThatThrownBy(() -> TextEncoderSpec.fromConfig(image))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a text-hashed-bag config");
        Map<String, String> withoutSize = new LinkedHashMap<>(image);
        withoutSize.remove("size");
        assertThatThrownBy(() -> ImageCnnSpec.fromConfig(withoutSize))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without size");
        Map<String, String> tooSmall = new LinkedHashMap<>(image);
        tooSmall.put("size", "2");
        assertThatThrownBy(() -> ImageCnnSpec.fromConfig(tooSmall))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad image encoder");
        Map<String, String> notANumber = new LinkedHashMap<>(image);
        notANumber.put("channels", "three");
        assertThatThrownBy(() -> ImageCnnSpec.fromConfig(notANumber)).isInstanceOf(IllegalArgumentException.class);
    }
}
