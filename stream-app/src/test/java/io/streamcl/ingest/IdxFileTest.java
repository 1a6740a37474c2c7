package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxFileTest {

    @TempDir
    Path tmp;

    private static byte[][] tinyImages() {
        byte[][] images = new byte[3][2 * 3];
        for (int i = 0; i < 3; i++) {
            for (int p = 0; p < 6; p++) {
                images[i][p] = (byte) (i * 100 + p * 20); // covers values above 127
            }
        }
        return images;
    }

    /** The repository root, from the system property surefire sets (no hard-coded paths). */
    private static Path repoRoot() {
        String root = System.getProperty("streamcl.repo.root");
        assertThat(root).as("system property streamcl.repo.root").isNotBlank();
        return Paths.get(root);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void shouldRoundTripImages(boolean gzip) throws IOException {
        Path f = tmp.resolve("images.idx");
        byte[][] images = tinyImages();
        IdxFile.writeImages(f, 2, 3, images, gzip);
        IdxImages read = IdxFile.readImages(f);
        assertThat(read.count()).isEqualTo(3);
        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.cols()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(read.image(i)).isEqualTo(images[i]);
        }
        assertThat(read.pixels()).hasSize(18);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void shouldRoundTripLabels(boolean gzip) throws IOException {
        Path f = tmp.resolve("labels.idx");
        int[] labels = {0, 9, 3, 255, 128};
        IdxFile.writeLabels(f, labels, gzip);
        assertThat(IdxFile.readLabels(f)).containsExactly(labels);
    }

    @Test
    void shouldDetectGzipByContentNotName() throws IOException {
        Path plainNamedGz = tmp.resolve("plain.gz");
        Path gzipNamedPlain = tmp.resolve("gzip.idx");
        IdxFile.writeLabels(plainNamedGz, new int[] {1, 2}, false);
        IdxFile.writeLabels(gzipNamedPlain, new int[] {3, 4}, true);
        assertThat(IdxFile.readLabels(plainNamedGz)).containsExactly(1, 2);
        assertThat(IdxFile.readLabels(gzipNamedPlain)).containsExactly(3, 4);
    }

    @Test
    void shouldReturnACopyOfEachImage() throws IOException {
        Path f = tmp.resolve("images.idx");
        IdxFile.writeImages(f, 2, 3, tinyImages(), false);
        IdxImages read = IdxFile.readImages(f);
        read.image(0)[0] = 42;
        assertThat(read.image(0)[0]).isEqualTo((byte) 0);
        assertThatThrownBy(() -> read.image(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldRejectWrongMagic() throws IOException {
        Path labels = tmp.resolve("labels.idx");
        IdxFile.writeLabels(labels, new int[] {1}, true);
        assertThatThrownBy(() -> IdxFile.readImages(labels))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an IDX image file (magic 0x00000801");
        Path images = tmp.resolve("images.idx");
        IdxFile.writeImages(images, 1, 1, new byte[][] {{1}}, false);
        assertThatThrownBy(() -> IdxFile.readLabels(images))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an IDX label file (magic 0x00000803");
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void shouldRejectTruncatedFile(boolean gzip) throws IOException {
        Path full = tmp.resolve("full.idx");
        IdxFile.writeImages(full, 28, 28, new byte[][] {new byte[784], new byte[784]}, gzip);
        byte[] bytes = Files.readAllBytes(full);
        Path cut = tmp.resolve("cut.idx");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - (gzip ? 12 : 100)));
        assertThatThrownBy(() -> IdxFile.readImages(cut))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldRejectTruncatedHeader() throws IOException {
        Path f = tmp.resolve("short.idx");
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0});
        assertThatThrownBy(() -> IdxFile.readImages(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated IDX header (no count)");
        Files.write(f, new byte[] {0, 0});
        assertThatThrownBy(() -> IdxFile.readImages(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated IDX file (no magic number)");
    }

    @Test
    void shouldRejectHeaderPromisingMoreThanTheFileCanHold() throws IOException {
        Path f = tmp.resolve("huge.idx");
        // 1,000,000 images of 28x28 promised in a 16-byte file
        Files.write(f, new byte[] {0, 0, 8, 3, 0, 0x0F, 0x42, 0x40, 0, 0, 0, 28, 0, 0, 0, 28});
        assertThatThrownBy(() -> IdxFile.readImages(f))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("truncated IDX file: header promises 784000000 pixel bytes");
    }

    @Test
    void shouldRejectMissingFile() {
        Path missing = tmp.resolve("nope.idx");
        assertThatThrownBy(() -> IdxFile.readImages(missing))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("nope.idx")
                .hasMessageContaining("IDX file not found");
    }

    @Test
    void shouldReadRealFashionMnistTestSet() throws IOException {
        Path dir = repoRoot().resolve("data").resolve("fashion-mnist");
        IdxImages images = IdxFile.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertThat(images.count()).isEqualTo(10_000);
        assertThat(images.rows()).isEqualTo(28);
        assertThat(images.cols()).isEqualTo(28);
        int[] labels = IdxFile.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(labels).hasSize(10_000);
        int[] perClass = new int[10];
        for (int label : labels) {
            assertThat(label).isBetween(0, 9);
            perClass[label]++;
        }
        assertThat(perClass).containsOnly(1000); // the test set is balanced
        byte[] first = images.image(0);
        assertThat(first).hasSize(784);
        int nonZero = 0;
        for (byte b : first) {
            nonZero += b != 0 ? 1 : 0;
        }
        assertThat(nonZero).isGreaterThan(50);
    }
}
