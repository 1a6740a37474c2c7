package io.streamcl.ingest;

import static io.streamcl.ingest.TestEncoded.encode;
import static io.streamcl.ingest.TestEncoded.gradient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.ingest.ImageTensor;
import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDirReaderTest {

    @TempDir
    Path dir;

    private byte[] greyPng;
    private byte[] rgbJpeg;
    private byte[] rgbaPng;

    @BeforeEach
    void writeFiles() throws IOException {
        greyPng = encode(gradient(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png");
        rgbJpeg = encode(gradient(40, 30, BufferedImage.TYPE_INT_RGB), "jpg");
        rgbaPng = encode(gradient(5, 6, BufferedImage.TYPE_INT_ARGB), "png");
        Files.createDirectories(dir.resolve("b/sub"));
        Files.write(dir.resolve("b/sub/grey.png"), greyPng);
        Files.write(dir.resolve("a.JPG"), rgbJpeg);
        Files.write(dir.resolve("b/alpha.PNG"), rgbaPng);
        Files.write(dir.resolve("b/photo.jpeg"), rgbJpeg);
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Files.writeString(dir.resolve("png"), "no extension");
        Files.write(dir.resolve("corrupt.png"), new byte[] {1, 2, 3, 4, 5});
    }

    @Test
    void shouldListImagesRecursivelySortedByRelativePath() throws IOException {
        List<ImageDirReader.ImageFile> files = ImageDirReader.list(dir);
        assertThat(files).extracting(f -> ImageDirReader.relativeName(dir, f.path()))
                .containsExactly("a.JPG", "b/alpha.PNG", "b/photo.jpeg", "b/sub/grey.png", "corrupt.png");
        assertThat(files).extracting(ImageDirReader.ImageFile::encoding)
                .containsExactly(ImageEncoding.JPEG, ImageEncoding.PNG, ImageEncoding.JPEG,
                        ImageEncoding.PNG, ImageEncoding.PNG);
    }

    @Test
    void shouldReadPngKeepingOriginalBytes() throws Exception {
        ImageItem item = ImageDirReader.read(new ImageDirReader.ImageFile(dir.resolve("b/sub/grey.png"),
                ImageEncoding.PNG));
        assertThat(item.getWidth()).isEqualTo(28);
        assertThat(item.getHeight()).isEqualTo(28);
        assertThat(item.getChannels()).isEqualTo(1);
        assertThat(item.getEncoding()).isEqualTo(ImageEncoding.PNG);
        assertThat(ImageDecoder.toArray(item.getBytes())).isEqualTo(greyPng);
        ImageTensor t = ImageDecoder.decode(item, ImageLimits.DEFAULT);
        assertThat(t.channels()).isEqualTo(1);
    }

    @Test
    void shouldReadJpegAndAlphaPng() throws Exception {
        ImageItem jpeg = ImageDirReader.read(new ImageDirReader.ImageFile(dir.resolve("a.JPG"), ImageEncoding.JPEG));
        assertThat(jpeg.getWidth()).isEqualTo(40);
        assertThat(jpeg.getHeight()).isEqualTo(30);
        assertThat(jpeg.getChannels()).isEqualTo(3);
        assertThat(jpeg.getEncoding()).isEqualTo(ImageEncoding.JPEG);
        assertThat(ImageDecoder.decode(jpeg, ImageLimits.DEFAULT).channels()).isEqualTo(3);

        ImageItem alpha = ImageDirReader.read(new ImageDirReader.ImageFile(dir.resolve("b/alpha.PNG"), ImageEncoding.PNG));
        assertThat(alpha.getChannels()).isEqualTo(4);
        assertThat(alpha.getWidth()).isEqualTo(5);
        assertThat(alpha.getHeight()).isEqualTo(6);
    }

    @Test
    void shouldTakeEncodingFromContentForMisnamedFile() throws Exception {
        Path misnamed = dir.resolve("really-a-png.jpg");
        Files.write(misnamed, greyPng);
        ImageItem item = ImageDirReader.read(new ImageDirReader.ImageFile(misnamed, ImageEncoding.JPEG));
        assertThat(item.getEncoding()).isEqualTo(ImageEncoding.PNG);
    }

    @Test
    void shouldReportCorruptPngAsInvalidItem() {
        Path corrupt = dir.resolve("corrupt.png");
        assertThatThrownBy(() -> ImageDirReader.read(new ImageDirReader.ImageFile(corrupt, ImageEncoding.PNG)))
                .isInstanceOf(InvalidItemException.class)
                .hasMessageContaining("corrupt.png")
                .hasMessageContaining("undecodable PNG");
    }

    @Test
    void shouldReportUnreadableOrOversizedFileAsInvalidItem() {
        Path gone = dir.resolve("gone.png");
        assertThatThrownBy(() -> ImageDirReader.read(new ImageDirReader.ImageFile(gone, ImageEncoding.PNG)))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("cannot read");
        ImageDirReader.ImageFile grey = new ImageDirReader.ImageFile(dir.resolve("b/sub/grey.png"), ImageEncoding.PNG);
        assertThatThrownBy(() -> ImageDirReader.read(grey, new ImageLimits(16, 1 << 20)))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("exceeds the largest side 16");
        assertThatThrownBy(() -> ImageDirReader.read(grey, new ImageLimits(4096, 10)))
                .isInstanceOf(InvalidItemException.class).hasMessageContaining("more than the limit 10");
    }

    @Test
    void shouldRejectMissingDirectory() {
        assertThatThrownBy(() -> ImageDirReader.list(dir.resolve("missing")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
    }
}
