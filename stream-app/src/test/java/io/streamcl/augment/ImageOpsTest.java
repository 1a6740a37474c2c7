package io.streamcl.augment;

import io.streamcl.ingest.ImageTensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ImageOpsTest {

    @Test
    void shouldConvertColourToGreyByLuminance() {
        // pure red, green, blue, white pixels
        float[] d = {1, 0, 0, 1, /* G */ 0, 1, 0, 1, /* B */ 0, 0, 1, 1};
        ImageTensor grey = ImageOps.toChannels(new ImageTensor(3, 1, 4, d), 1);
        assertThat(grey.channels()).isEqualTo(1);
        assertThat(grey.data()[0]).isCloseTo(0.299f, within(1e-6f));
        assertThat(grey.data()[1]).isCloseTo(0.587f, within(1e-6f));
        assertThat(grey.data()[2]).isCloseTo(0.114f, within(1e-6f));
        assertThat(grey.data()[3]).isCloseTo(1f, within(1e-6f)).isLessThanOrEqualTo(1f);
    }

    @Test
    void shouldIgnoreAlphaWhenConvertingRgba() {
        float[] d = {0.5f, 0.2f, 0.9f, 0.0f}; // one pixel R, G, B, A
        ImageTensor rgb = ImageOps.toChannels(new ImageTensor(4, 1, 1, d), 3);
        assertThat(rgb.data()).containsExactly(0.5f, 0.2f, 0.9f);
        ImageTensor grey = ImageOps.toChannels(new ImageTensor(4, 1, 1, d), 1);
        assertThat(grey.data()[0]).isCloseTo(0.299f * 0.5f + 0.587f * 0.2f + 0.114f * 0.9f, within(1e-6f));
    }

    @Test
    void shouldReplicateGreyToRgb() {
        ImageTensor grey = new ImageTensor(1, 1, 2, new float[] {0.25f, 0.75f});
        ImageTensor rgb = ImageOps.toChannels(grey, 3);
        assertThat(rgb.data()).containsExactly(0.25f, 0.75f, 0.25f, 0.75f, 0.25f, 0.75f);
        assertThat(ImageOps.toChannels(grey, 1)).isSameAs(grey);
    }

    @Test
    void shouldRejectUnsupportedConversion() {
        assertThatThrownBy(() -> ImageOps.toChannels(new ImageTensor(2, 1, 1, new float[2]), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot convert 2 channels to 1");
    }

    @Test
    void shouldKeepConstantImageConstantWhenResized() {
        ImageTensor c = TestImages.constant(3, 13, 29, 0.37f);
        for (int out : new int[] {1, 4, 28, 64}) {
            float[] r = ImageOps.resizeBilinear(c, 1.3f, 2.7f, 20.1f, 8.9f, out);
            assertThat(r).hasSize(3 * out * out);
            for (float v : r) {
                assertThat(v).isEqualTo(0.37f);
            }
        }
    }

    @Test
    void shouldReturnInputForIdentityResize() {
        ImageTensor img = TestImages.random(3, 17, 17, 5);
        assertThat(ImageOps.resizeBilinear(img, 0, 0, 17, 17, 17)).isEqualTo(img.data());
    }

    @Test
    void shouldInterpolateLinearlyBetweenPixels() {
        // 2x1 image [0, 1] sampled at 4 columns: centres map to -0.25, 0.25, 0.75, 1.25 -> clamp, lerp
        ImageTensor img = new ImageTensor(1, 1, 2, new float[] {0f, 1f});
        float[] r = ImageOps.resizeBilinear(img, 0, 0, 2, 1, 4);
        // output is 4x4; every row is the same
        assertThat(r[0]).isEqualTo(0f);
        assertThat(r[1]).isCloseTo(0.25f, within(1e-6f));
        assertThat(r[2]).isCloseTo(0.75f, within(1e-6f));
        assertThat(r[3]).isEqualTo(1f);
        assertThat(r[12]).isEqualTo(0f);
    }

    @Test
    void shouldSampleTheCropRectangle() {
        // crop the right half of a horizontal ramp: every output value comes from that half
        ImageTensor ramp = TestImages.rampX(1, 8, 16);
        float[] r = ImageOps.resizeBilinear(ramp, 8, 0, 8, 8, 8);
        for (float v : r) {
            assertThat(v).isGreaterThanOrEqualTo(0.5f);
        }
        assertThat(r[0]).isCloseTo(8.5f / 16, within(1e-6f));
    }

    @Test
    void shouldConvertChannelsWhileResizing() {
        ImageTensor rgb = TestImages.random(3, 9, 11, 3);
        float[] fused = new float[6 * 6];
        ImageOps.resizeBilinear(rgb, 0.5f, 1, 9, 7, 6, 1, fused);
        float[] separate = ImageOps.resizeBilinear(ImageOps.toChannels(rgb, 1), 0.5f, 1, 9, 7, 6);
        assertThat(fused).containsExactly(separate, within(1e-5f));
    }

}
