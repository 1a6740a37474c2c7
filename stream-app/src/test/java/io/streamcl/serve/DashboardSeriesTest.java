package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DashboardSeriesTest {
    private static final int FIGURES = DashboardSeries.Figure.values().length;

    @Test
    void shouldKeepOnlyTheNewestSamplesOldestFirst() {
        DashboardSeries series = new DashboardSeries(List.of("image", "sentence"), 3);
        for (int t = 1; t <= 5; t++) {
            series.add(sample(t * 1000L, t, t * 10.0));
        }
        Map<String, Object> json = series.toJson();
        assertThat(json.get("capacity")).isEqualTo(3);
        assertThat(json.get("time")).isEqualTo(List.of(3000L, 4000L, 5000L));
        assertThat(json.get("deadLetters")).isEqualTo(List.of(3.0, 4.0, 5.0));
        Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) json.get("kinds")).get("image");
        assertThat(image.get("itemsIn")).isEqualTo(List.of(30.0, 40.0, 50.0));
        assertThat(List.copyOf(image.keySet())).isEqualTo(List.of("itemsIn", "itemsEmbedded", "stepsPerSecond", "loss",
                "publishedVersion", "servedVersion", "backfillPercent", "probeAlignment", "probeUniformity"));
    }

    @Test
    void shouldWriteAMissingFigureAsNull() {
        DashboardSeries series = new DashboardSeries(List.of("image"), 10);
        double[] figures = new double[FIGURES];
        Arrays.fill(figures, Double.NaN);
        figures[DashboardSeries.Figure.LOSS.ordinal()] = Double.POSITIVE_INFINITY;
        series.add(new DashboardSeries.Sample(1000, Double.NaN, new double[][] {figures}));
        Map<String, Object> json = series.toJson();
        assertThat(json.get("deadLetters")).isEqualTo(Arrays.asList((Object) null));
        Map<?, ?> image = (Map<?, ?>) ((Map<?, ?>) json.get("kinds")).get("image");
        assertThat(image.get("loss")).isEqualTo(Arrays.asList((Object) null));
    }

    @Test
    void shouldRefuseASampleOfOtherKinds() {
        DashboardSeries series = new DashboardSeries(List.of("image"), 10);
        assertThatThrownBy(() -> series.add(new DashboardSeries.Sample(0, 0, new double[2][FIGURES])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DashboardSeries(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static DashboardSeries.Sample sample(long time, double dead, double value) {
        double[][] byKind = new double[2][FIGURES];
        Arrays.fill(byKind[0], value);
        Arrays.fill(byKind[1], -value);
        return new DashboardSeries.Sample(time, dead, byKind);
    }
}
