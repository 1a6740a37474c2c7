package io.streamcl.augment;

import io.streamcl.ingest.ImageTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageAugmenterTest {

    private static void assertInUnitRange(float[] v) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertThat(lo).as("min").isGreaterThanOrEqualTo(0f);
        assertThat(hi).as("max").isLessThanOrEqualTo(1f);
    }

    /** Only the given step on: whole-image crop, everything else off. */
    private static ImageAugmentation.Builder onlyStep(int size, int channels) {
        return ImageAugmentation.none(size, channels).toBuilder();
    }

    static Stream<Arguments> shapes() {
        // input channels, height, width; output size, output channels
        return Stream.of(
                Arguments.of(1, 28, 28, 28, 1),
                Arguments.of(3, 32, 20, 28, 1),
                Arguments.of(4, 7, 50, 28, 1),
                Arguments.of(1, 28, 28, 32, 3),
                Arguments.of(3, 20, 32, 16, 3),
                Arguments.of(4, 50, 7, 64, 3),
                Arguments.of(3, 1, 1, 8, 3),
                Arguments.of(1, 1, 300, 8, 1),
                Arguments.of(3, 480, 640, 96, 3));
    }

    @ParameterizedTest(name = "{0}x{1}x{2} (CxHxW) -> {4}x{3}x{3}")
    @MethodSource("shapes")
    void shouldReturnOutputShapeAndRangeForAnyInput(int c, int h, int w, int size, int outC) {
        ImageTensor img = TestImages.random(c, h, w, 11);
        ImageAugmenter aug = new ImageAugmenter(
                ImageAugmentation.builder().outputSize(size).outputChannels(outC).build());
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 20; k++) {
            float[] v = aug.view(img, rng);
            assertThat(v).hasSize(outC * size * size);
            assertInUnitRange(v);
        }
        float[] clean = aug.clean(img);
        assertThat(clean).hasSize(outC * size * size);
        assertInUnitRange(clean);
    }

    @Test
    void shouldReturnSameViewForSameSeed() {
        ImageTensor img = TestImages.random(3, 32, 20, 2);
        ImageAugmenter aug = new ImageAugmenter(ImageAugmentation.builder().outputSize(28).build());
        float[] a = aug.view(img, Seeds.forView(7, "x", 0, 0));
        float[] b = aug.view(img, Seeds.forView(7, "x", 0, 0));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void shouldReturnDifferentViewsForDifferentSeeds() {
        ImageTensor img = TestImages.random(1, 28, 28, 2);
        ImageAugmenter aug = new ImageAugmenter(ImageAugmentation.builder().outputSize(28).build());
        float[] a = aug.view(img, Seeds.forView(7, "x", 0, 0));
        float[] b = aug.view(img, Seeds.forView(7, "x", 0, 1));
        float[] c = aug.view(img, Seeds.forView(8, "x", 0, 0));
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void shouldReturnCleanInputForIdentitySizeGreyImage() {
        ImageTensor img = TestImages.random(1, 28, 28, 9);
        ImageAugmenter aug = new ImageAugmenter(ImageAugmentation.builder().outputSize(28).build());
        assertThat(aug.clean(img)).isEqualTo(img.data());
        assertThat(aug.clean(img)).isEqualTo(aug.clean(img));
    }

    @Test
    void shouldMakeViewEqualCleanWithoutAugmentation() {
        ImageTensor img = TestImages.random(3, 20, 32, 4);
        ImageAugmenter aug = new ImageAugmenter(ImageAugmentation.none(24, 3));
        SplittableRandom rng = new SplittableRandom(5);
        long next = new SplittableRandom(5).nextLong();
        assertThat(aug.view(img, rng)).isEqualTo(aug.clean(img));
        assertThat(rng.nextLong()).as("no draw was taken").isEqualTo(next);
    }

    @Test
    void shouldMirrorExactlyWithFlipAlone() {
        ImageTensor img = TestImages.random(3, 16, 16, 3);
        ImageAugmenter aug = new ImageAugmenter(onlyStep(16, 3).flipProbability(1).build());
        float[] v = aug.view(img, new SplittableRandom(0));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    assertThat(v[(c * 16 + y) * 16 + x]).isEqualTo(img.get(c, y, 15 - x));
                }
            }
        }
    }

    @Test
    void shouldZeroOneSquareWithCutoutAlone() {
        ImageTensor img = TestImages.constant(3, 20, 20, 0.6f);
        int s = 20;
        ImageAugmenter aug = new ImageAugmenter(
                onlyStep(s, 3).cutoutProbability(1).cutoutMaxFraction(0.5).build());
        SplittableRandom rng = new SplittableRandom(3);
        for (int k = 0; k < 50; k++) {
            float[] v = aug.view(img, rng);
            int minX = s, minY = s, maxX = -1, maxY = -1, zeros = 0;
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    float first = v[y * s + x];
                    for (int c = 1; c < 3; c++) {
                        assertThat(v[(c * s + y) * s + x]).as("same hole in every channel").isEqualTo(first);
                    }
                    if (first == 0f) {
                        zeros++;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    } else {
                        assertThat(first).isEqualTo(0.6f);
                    }
                }
            }
            int side = maxX - minX + 1;
            assertThat(side).isBetween(1, 10);
            assertThat(maxY - minY + 1).as("square").isEqualTo(side);
            assertThat(zeros).as("filled square").isEqualTo(side * side);
        }
    }

    @Test
    void shouldChangeMeanAndStayInRangeWithBrightnessAlone() {
        ImageTensor img = TestImages.random(1, 28, 28, 6);
        float mean = TestImages.mean(img.data());
        ImageAugmenter aug = new ImageAugmenter(onlyStep(28, 1).brightness(0.8).build());
        SplittableRandom rng = new SplittableRandom(8);
        boolean changed = false;
        for (int k = 0; k < 10; k++) {
            float[] v = aug.view(img, rng);
            assertInUnitRange(v);
            changed |= Math.abs(TestImages.mean(v) - mean) > 0.01f;
        }
        assertThat(changed).isTrue();
    }

    @Test
    void shouldChangeSpreadAndStayInRangeWithContrastAlone() {
        ImageTensor img = TestImages.random(3, 16, 16, 6);
        float var = TestImages.variance(img.data());
        ImageAugmenter aug = new ImageAugmenter(onlyStep(16, 3).contrast(0.8).build());
        SplittableRandom rng = new SplittableRandom(8);
        boolean changed = false;
        for (int k = 0; k < 10; k++) {
            float[] v = aug.view(img, rng);
            assertInUnitRange(v);
            changed |= Math.abs(TestImages.variance(v) - var) > 0.005f;
        }
        assertThat(changed).isTrue();
    }

    @Test
    void shouldAddZeroMeanNoiseWithNoiseAlone() {
        ImageTensor img = TestImages.constant(1, 64, 64, 0.5f);
        ImageAugmenter aug = new ImageAugmenter(onlyStep(64, 1).noiseStd(0.05).build());
        float[] v = aug.view(img, new SplittableRandom(2));
        assertThat(TestImages.mean(v)).isCloseTo(0.5f, within(0.005f));
        assertThat((float) Math.sqrt(TestImages.variance(v))).isCloseTo(0.05f, within(0.005f));
    }

    @Test
    void shouldCropInsideTheImage() {
        // a ramp: a crop of at most half the area keeps a strictly narrower value range than the image
        ImageTensor ramp = TestImages.rampX(1, 32, 32);
        ImageAugmenter aug = new ImageAugmenter(onlyStep(32, 1).cropScaleMin(0.1).cropScaleMax(0.5).build());
        SplittableRandom rng = new SplittableRandom(4);
        for (int k = 0; k < 20; k++) {
            float[] v = aug.view(ramp, rng);
            float lo = 1, hi = 0;
            for (float x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            assertThat(lo).isGreaterThanOrEqualTo(0.5f / 32 - 1e-6f);
            assertThat(hi).isLessThanOrEqualTo(31.5f / 32 + 1e-6f);
            assertThat(hi - lo).isLessThan(0.85f);
        }
    }

    @Test
    void shouldFallBackToWholeImageWhenNoCropFits() {
        // a 1-pixel-wide image: a crop of a quarter of its area with ratio near 1 never fits
        ImageTensor tall = TestImages.random(1, 400, 1, 12);
        ImageAugmenter aug = new ImageAugmenter(onlyStep(8, 1).cropScaleMin(0.25).cropScaleMax(0.3).build());
        assertThat(aug.view(tall, new SplittableRandom(1))).isEqualTo(aug.clean(tall));
    }
}
