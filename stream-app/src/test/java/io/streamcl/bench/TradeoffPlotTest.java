package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.bench.TradeoffPlot.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TradeoffPlotTest {
    private static final Point FAST = new Point("batch.size=64", 0.70, 900);
    private static final Point BASE = new Point("base", 0.80, 500);
    private static final Point SLOW_WORSE = new Point("bank.size=16384", 0.78, 300);
    private static final Point WIDE = new Point("image.conv-channels=32,64", 0.85, 200);
    private static final Point SAME_SLOWER = new Point("temperature=0.5", 0.85, 150);

    @Test
    void theFrontierShouldHoldExactlyTheVariantsThatNothingBeatsOnSpeedAndQuality() {
        assertThat(TradeoffPlot.frontier(List.of(BASE, SLOW_WORSE, WIDE, FAST, SAME_SLOWER)))
                .containsExactly(FAST, BASE, WIDE);
    }

    @Test
    void shouldDrawAPngOfTheGivenSizeAndRefuseFiguresOutOfRange(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("t.png");
        TradeoffPlot.write(List.of(BASE, SLOW_WORSE, WIDE, FAST), "kNN accuracy", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(TradeoffPlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(TradeoffPlot.HEIGHT);
        assertThatThrownBy(() -> TradeoffPlot.write(List.of(new Point("x", 1.5, 10)), "q", png))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TradeoffPlot.write(List.of(), "q", png)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTradeoffPlotShouldGoBesideTheSweepPlot() {
        assertThat(SweepSection.tradeoffPlot(Path.of("out/benchmarks-sweep.png")))
                .isEqualTo(Path.of("out/benchmarks-sweep-tradeoff.png"));
    }
}
