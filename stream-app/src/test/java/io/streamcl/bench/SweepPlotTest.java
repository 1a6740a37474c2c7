package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.bench.SweepPlot.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepPlotTest {

    /** A sweep as `bench` would report it: four parameters, three or four values each. */
    static List<Point> sweep() {
        return List.of(
                new Point("batch size", "32", 0.781, 1850),
                new Point("batch size", "64", 0.804, 2900),
                new Point("batch size", "128", 0.812, 4100),
                new Point("batch size", "256", 0.809, 4800),
                new Point("bank size", "1024", 0.792, 3300),
                new Point("bank size", "4096", 0.806, 3150),
                new Point("bank size", "16384", 0.815, 2700),
                new Point("temperature", "0.05", 0.771, 2950),
                new Point("temperature", "0.1", 0.812, 2950),
                new Point("temperature", "0.2", 0.798, 2950),
                new Point("temperature", "0.5", 0.742, 2950),
                new Point("method", "simclr", 0.788, 3400),
                new Point("method", "moco", 0.812, 2950),
                new Point("method", "byol", 0.801, 2300));
    }

    @Test
    void shouldDrawOnePanelPerParameterTwoToARow(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sweep.png");
        SweepPlot.write(sweep(), png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(SweepPlot.WIDTH).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(2 * SweepPlot.ROW_HEIGHT); // 4 panels, 2 rows of 2
        assertThat(SweepPlot.size(4)).containsExactly(1200, 900);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF); // white background
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        assertThat(colours).as("distinct colours: text, bars, line, grid").hasSizeGreaterThan(10);
    }

    @Test
    void shouldSizeTheImageByRowsOfPanels() {
        assertThat(SweepPlot.size(1)).containsExactly(1200, 450);
        assertThat(SweepPlot.size(2)).containsExactly(1200, 450);
        assertThat(SweepPlot.size(3)).containsExactly(1200, 900);
        assertThat(SweepPlot.size(5)).containsExactly(1200, 1350);
    }

    @Test
    void shouldDrawASingleParameterFullWidth(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("one.png");
        SweepPlot.write(List.of(new Point("method", "moco", 0.8, 3000), new Point("method", "simclr", 0.78, 3400)),
                png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(450);
    }

    @Test
    void shouldRefuseWhatItCannotDraw(@TempDir Path dir) {
        Path png = dir.resolve("bad.png");
        assertThatThrownBy(() -> SweepPlot.write(List.of(), png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one point");
        assertThatThrownBy(() -> SweepPlot.write(List.of(new Point("temperature", "0.1", Double.NaN, 100)), png))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature = 0.1").hasMessageContaining("quality").hasMessageContaining("NaN");
        assertThatThrownBy(() -> SweepPlot.write(List.of(new Point("batch size", "64", 0.8, Double.NaN)), png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("items/s");
        assertThatThrownBy(() -> SweepPlot.write(List.of(new Point("batch size", "64", 81.2, 100)), png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> SweepPlot.write(List.of(new Point(" ", "64", 0.8, 100)), png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter name");
        assertThatThrownBy(() -> SweepPlot.write(
                List.of(new Point("method", "moco", 0.8, 100), new Point("method", "moco", 0.7, 90)), png))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThat(Files.exists(png)).as("nothing written for bad input").isFalse();
    }
}
