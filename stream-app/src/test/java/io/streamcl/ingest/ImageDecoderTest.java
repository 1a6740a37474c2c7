package io.streamcl.ingest;

import static io.streamcl.ingest.TestEncoded.encode;
import static io.streamcl.ingest.TestEncoded.gradient;
import static io.streamcl.ingest.TestEncoded.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamcl.ingest.ImageTensor;
import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private static final ImageLimits LIMITS = ImageLimits.DEFAULT;

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void shouldDecodeRawU8() throws Exception {
        byte[] hwc = randomBytes(28 * 28, 1);
        ImageTensor t = ImageDecoder.decode(RawItems.rawU8(28, 28, 1, hwc), LIMITS);
        assertThat(t.channels()).isEqualTo(1);
        assertThat(t.height()).isEqualTo(28);
        assertThat(t.width()).isEqualTo(28);
        assertThat(t.get(0, 3, 5)).isEqualTo((hwc[3 * 28 + 5] & 0xFF) / 255f);
    }

    @Test
    void shouldDecodeRawU8ColourAsChannelMajor() throws Exception {
        // 3 wide, 2 high, RGBA: pixel (y=1, x=2) is bytes 20..23
        byte[] hwc = new byte[3 * 2 * 4];
        hwc[20] = (byte) 255;
        hwc[21] = 51;
        hwc[22] = 0;
        hwc[23] = 102;
        ImageTensor t = ImageDecoder.decode(RawItems.rawU8(3, 2, 4, hwc), LIMITS);
        assertThat(t.channels()).isEqualTo(4);
        assertThat(t.get(0, 1, 2)).isEqualTo(1f);
        assertThat(t.get(1, 1, 2)).isEqualTo(0.2f);
        assertThat(t.get(3, 1, 2)).isEqualTo(0.4f);
    }

    @Test
    void shouldNotMoveTheBufferPosition() throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(10);
        buf.position(1);
        ByteBuffer slice = buf.slice(); // 9 bytes, array offset 1
        ImageItem item = new ImageItem(3, 3, 1, ImageEncoding.RAW_U8, slice);
        assertThat(ImageDecoder.decode(item, LIMITS).size()).isEqualTo(9);
        assertThat(slice.remaining()).isEqualTo(9);
    }

    @Test
    void shouldRejectRawU8OfWrongLength() {
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(28, 28, 1, new byte[700]), LIMITS))
                .isInstanceOf(InvalidItemException.class)
                .hasMessage("RAW_U8 image 28x28x1 needs 784 bytes, got 700");
    }

    @Test
    void shouldRejectZeroOrNegativeSizes() {
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(0, 28, 1, new byte[0]), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessage("image size must be positive, got 0x28");
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(28, -1, 1, new byte[0]), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessage("image size must be positive, got 28x-1");
    }

    @Test
    void shouldRejectTooLargeImages() {
        ImageLimits small = new ImageLimits(64, 1000);
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(65, 1, 1, new byte[65]), small))
                .isInstanceOf(InvalidItemException.class).hasMessage("image 65x1 exceeds the largest side 64");
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(40, 40, 1, new byte[1600]), small))
                .isInstanceOf(InvalidItemException.class).hasMessage("image has 1600 bytes, more than the limit 1000");
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(5000, 5000, 3, new byte[1]), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("exceeds the largest side 4096");
    }

    @Test
    void shouldRejectUnsupportedChannelCount() {
        assertThatThrownBy(() -> ImageDecoder.decode(RawItems.rawU8(2, 2, 2, new byte[8]), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessage("channels must be 1, 3 or 4, got 2");
    }

    @Test
    void shouldRejectNullFields() {
        assertThatThrownBy(() -> ImageDecoder.decode(new ImageItem(2, 2, 1, null, ByteBuffer.allocate(4)), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("null field");
        assertThatThrownBy(() -> ImageDecoder.decode(new ImageItem(2, 2, 1, ImageEncoding.PNG, null), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("null field");
        assertThatThrownBy(() -> ImageDecoder.decode(null, LIMITS)).isInstanceOf(InvalidItemException.class);
    }

    @Test
    void shouldDecodeGreyPngLikeTheSameRawBytes() throws Exception {
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] raw = randomBytes(28 * 28, 2);
        grey.getRaster().setDataElements(0, 0, 28, 28, raw);
        ImageTensor png = ImageDecoder.decode(item(28, 28, 1, ImageEncoding.PNG, encode(grey, "png")), LIMITS);
        ImageTensor rawT = ImageDecoder.decode(RawItems.rawU8(28, 28, 1, raw), LIMITS);
        assertThat(png.channels()).isEqualTo(1);
        assertThat(png).isEqualTo(rawT);
    }

    @Test
    void shouldDecodeRgbPng() throws Exception {
        BufferedImage rgb = gradient(30, 20, BufferedImage.TYPE_INT_RGB);
        ImageTensor t = ImageDecoder.decode(item(30, 20, 3, ImageEncoding.PNG, encode(rgb, "png")), LIMITS);
        assertThat(t.channels()).isEqualTo(3);
        assertThat(t.height()).isEqualTo(20);
        assertThat(t.width()).isEqualTo(30);
        int argb = rgb.getRGB(7, 4);
        assertThat(t.get(0, 4, 7)).isEqualTo(((argb >> 16) & 0xFF) / 255f);
        assertThat(t.get(1, 4, 7)).isEqualTo(((argb >> 8) & 0xFF) / 255f);
        assertThat(t.get(2, 4, 7)).isEqualTo((argb & 0xFF) / 255f);
    }

    @Test
    void shouldDecodeRgbaPngDroppingAlpha() throws Exception {
        BufferedImage argb = gradient(8, 8, BufferedImage.TYPE_INT_ARGB);
        ImageTensor t = ImageDecoder.decode(item(8, 8, 4, ImageEncoding.PNG, encode(argb, "png")), LIMITS);
        assertThat(t.channels()).isEqualTo(3);
    }

    @Test
    void shouldDecodeJpeg() throws Exception {
        BufferedImage rgb = gradient(40, 24, BufferedImage.TYPE_INT_RGB);
        ImageTensor t = ImageDecoder.decode(item(40, 24, 3, ImageEncoding.JPEG, encode(rgb, "jpg")), LIMITS);
        assertThat(t.channels()).isEqualTo(3);
        assertThat(t.height()).isEqualTo(24);
        assertThat(t.width()).isEqualTo(40);
        // lossy, but a smooth gradient survives closely
        ImageTensor expected = ImagePixels.fromBufferedImage(rgb);
        assertThat(t.data()).containsExactly(expected.data(), within(0.1f));
    }

    @Test
    void shouldRejectGarbageBytesAsPng() {
        byte[] garbage = randomBytes(500, 3);
        assertThatThrownBy(() -> ImageDecoder.decode(item(28, 28, 1, ImageEncoding.PNG, garbage), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessageStartingWith("undecodable PNG: ");
    }

    @Test
    void shouldRejectTruncatedPng() {
        byte[] png = encode(gradient(32, 32, BufferedImage.TYPE_INT_RGB), "png");
        for (int cut : new int[] {0, 8, 16, 30, png.length / 2}) {
            byte[] part = Arrays.copyOf(png, cut);
            assertThatThrownBy(() -> ImageDecoder.decode(item(32, 32, 3, ImageEncoding.PNG, part), LIMITS))
                    .as("cut at %d", cut)
                    .isInstanceOf(InvalidItemException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"png", "jpg"})
    void shouldThrowOnlyInvalidItemForDamagedBytes(String format) {
        byte[] good = encode(gradient(24, 24, BufferedImage.TYPE_INT_RGB), format);
        ImageEncoding encoding = format.equals("png") ? ImageEncoding.PNG : ImageEncoding.JPEG;
        Random r = new Random(4);
        List<byte[]> damaged = new ArrayList<>();
        for (int cut = 0; cut < good.length; cut += 7) {
            damaged.add(Arrays.copyOf(good, cut));
        }
        for (int k = 0; k < 200; k++) {
            byte[] b = good.clone();
            for (int j = 0; j < 1 + r.nextInt(4); j++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            damaged.add(b);
        }
        for (byte[] b : damaged) {
            try {
                ImageTensor t = ImageDecoder.decode(item(24, 24, 3, encoding, b), LIMITS);
                assertThat(t.width()).isEqualTo(24); // some damage still decodes (e.g. in a pixel)
            } catch (InvalidItemException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void shouldRejectPngBytesDeclaredAsJpeg() {
        byte[] png = encode(gradient(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        assertThatThrownBy(() -> ImageDecoder.decode(item(8, 8, 3, ImageEncoding.JPEG, png), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessage("undecodable JPEG: not a JPEG stream");
    }

    @Test
    void shouldRejectDeclaredSizeMismatch() {
        byte[] png = encode(new BufferedImage(30, 30, BufferedImage.TYPE_BYTE_GRAY), "png");
        assertThatThrownBy(() -> ImageDecoder.decode(item(28, 28, 1, ImageEncoding.PNG, png), LIMITS))
                .isInstanceOf(InvalidItemException.class).hasMessage("declared 28x28 but PNG is 30x30");
    }

    @Test
    void shouldValidateLimits() {
        assertThatThrownBy(() -> new ImageLimits(0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxSide must be > 0, got 0");
        assertThatThrownBy(() -> new ImageLimits(10, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBytes must be > 0, got -1");
        assertThat(ImageLimits.DEFAULT.maxSide()).isEqualTo(4096);
        assertThat(ImageLimits.DEFAULT.maxBytes()).isEqualTo(16 * 1024 * 1024);
    }
}
