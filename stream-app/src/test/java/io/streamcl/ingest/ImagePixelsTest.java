package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImagePixelsTest {

    @Test
    void shouldConvertHwcBytesToChwFloats() {
        // 2x1 image, 3 channels: pixel 0 = (255, 0, 51), pixel 1 = (0, 102, 255)
        byte[] hwc = {(byte) 255, 0, 51, 0, 102, (byte) 255};
        ImageTensor t = ImagePixels.fromRawU8(2, 1, 3, hwc);
        assertThat(t.channels()).isEqualTo(3);
        assertThat(t.height()).isEqualTo(1);
        assertThat(t.width()).isEqualTo(2);
        assertThat(t.data()).containsExactly(1f, 0f, 0f, 0.4f, 0.2f, 1f);
    }

    @Test
    void shouldRejectRawBytesOfWrongLength() {
        assertThatThrownBy(() -> ImagePixels.fromRawU8(28, 28, 1, new byte[700]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RAW_U8 image 28x28x1 needs 784 bytes, got 700");
    }

    @Test
    void shouldReadGreyAndColourBufferedImages() {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 1, 0, 51);
        ImageTensor g = ImagePixels.fromBufferedImage(grey);
        assertThat(g.channels()).isEqualTo(1);
        assertThat(g.height()).isEqualTo(2);
        assertThat(g.width()).isEqualTo(3);
        assertThat(g.get(0, 1, 2)).isEqualTo(0.2f);

        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 0, 0x80FF3300);
        ImageTensor c = ImagePixels.fromBufferedImage(argb);
        assertThat(c.channels()).isEqualTo(3);
        assertThat(c.get(0, 0, 1)).isEqualTo(1f);
        assertThat(c.get(1, 0, 1)).isEqualTo(0.2f);
        assertThat(c.get(2, 0, 1)).isEqualTo(0f);

        BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 65535);
        assertThat(ImagePixels.fromBufferedImage(grey16).data()).containsExactly(1f);
    }
}
