package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void medianShouldTakeTheMiddleOrTheMeanOfTheTwoMiddles() {
        assertThat(Percentiles.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Percentiles.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(Percentiles.median(new double[0])).isNaN();
    }

    @Test
    void percentileShouldInterpolateBetweenClosestRanks() {
        double[] sorted = new double[101];
        for (int i = 0; i <= 100; i++) {
            sorted[i] = i * 10;
        }
        assertThat(Percentiles.of(sorted, 99)).isEqualTo(990);
        assertThat(Percentiles.of(sorted, 0)).isEqualTo(0);
        assertThat(Percentiles.of(sorted, 100)).isEqualTo(1000);
        assertThat(Percentiles.of(new double[] {1, 2}, 50)).isEqualTo(1.5);
    }
}
