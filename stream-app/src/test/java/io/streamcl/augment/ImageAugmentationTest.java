package io.streamcl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {

    private static void assertRejected(Consumer<ImageAugmentation.Builder> setter, String message) {
        assertThatThrownBy(() -> setter.accept(ImageAugmentation.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void shouldApplyDefaults() {
        ImageAugmentation a = ImageAugmentation.builder().outputSize(28).build();
        assertThat(a.outputSize()).isEqualTo(28);
        assertThat(a.outputChannels()).isEqualTo(1);
        assertThat(a.cropScaleMin()).isEqualTo(0.8);
        assertThat(a.cropScaleMax()).isEqualTo(1.0);
        assertThat(a.cropRatioMin()).isEqualTo(0.75);
        assertThat(a.cropRatioMax()).isEqualTo(4.0 / 3.0);
        assertThat(a.flipProbability()).isEqualTo(0.5);
        assertThat(a.brightness()).isEqualTo(0.4);
        assertThat(a.contrast()).isEqualTo(0.4);
        assertThat(a.noiseStd()).isZero();
        assertThat(a.cutoutProbability()).isZero();
        assertThat(a.cutoutMaxFraction()).isEqualTo(0.4);
        assertThat(a.viewLength()).isEqualTo(784);
    }

    @Test
    void shouldKeepEverySettingThroughToBuilder() {
        ImageAugmentation a = ImageAugmentation.builder().outputSize(32).outputChannels(3)
                .cropScaleMin(0.1).cropScaleMax(0.9).cropRatioMin(0.5).cropRatioMax(2)
                .flipProbability(0.1).brightness(0.2).contrast(0.3).noiseStd(0.01)
                .cutoutProbability(0.7).cutoutMaxFraction(0.2).build();
        assertThat(a.toBuilder().build().toString()).isEqualTo(a.toString());
        assertThat(a.viewLength()).isEqualTo(3 * 32 * 32);
    }

    @Test
    void shouldRejectBadValuesNamingTheSetting() {
        assertRejected(b -> b.outputSize(3), "outputSize must be in [4, 1024], got 3");
        assertRejected(b -> b.outputSize(1025), "outputSize must be in [4, 1024], got 1025");
        assertRejected(b -> b.outputChannels(2), "outputChannels must be 1 or 3, got 2");
        assertRejected(b -> b.cropScaleMin(0), "cropScaleMin must be in (0, 1], got 0");
        assertRejected(b -> b.cropScaleMax(1.5), "cropScaleMax must be in (0, 1], got 1.5");
        assertRejected(b -> b.cropRatioMin(-1), "cropRatioMin must be finite and > 0, got -1");
        assertRejected(b -> b.cropRatioMax(Double.POSITIVE_INFINITY),
                "cropRatioMax must be finite and > 0, got Infinity");
        assertRejected(b -> b.flipProbability(1.1), "flipProbability must be in [0, 1], got 1.1");
        assertRejected(b -> b.brightness(-0.1), "brightness must be in [0, 1], got -0.1");
        assertRejected(b -> b.contrast(Double.NaN), "contrast must be in [0, 1], got NaN");
        assertRejected(b -> b.noiseStd(2), "noiseStd must be in [0, 1], got 2");
        assertRejected(b -> b.cutoutProbability(-1), "cutoutProbability must be in [0, 1], got -1");
        assertRejected(b -> b.cutoutMaxFraction(0), "cutoutMaxFraction must be in (0, 1], got 0");
    }

    @Test
    void shouldRejectInvertedRangesAndMissingSize() {
        assertRejected(b -> b.outputSize(8).cropScaleMin(0.8).cropScaleMax(0.5).build(),
                "cropScaleMin must be <= cropScaleMax, got 0.8 > 0.5");
        assertRejected(b -> b.outputSize(8).cropRatioMin(2).cropRatioMax(1).build(),
                "cropRatioMin must be <= cropRatioMax, got 2 > 1");
        assertRejected(ImageAugmentation.Builder::build, "outputSize is required");
    }

    @Test
    void shouldMakeNoneWithoutRandomness() {
        ImageAugmentation none = ImageAugmentation.none(16, 3);
        assertThat(none.outputSize()).isEqualTo(16);
        assertThat(none.outputChannels()).isEqualTo(3);
        assertThat(none.cropScaleMin()).isEqualTo(1.0);
        assertThat(none.flipProbability()).isZero();
        assertThat(none.brightness()).isZero();
        assertThat(none.contrast()).isZero();
        assertThat(none.noiseStd()).isZero();
        assertThat(none.cutoutProbability()).isZero();
    }
}
