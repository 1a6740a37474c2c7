package io.streamcl.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputTest {

    @Test
    void sustainedRateShouldCountTheStepsInsideTheWindow() {
        // 10 steps of 100 items' worth; 9 of them end in the 3 s after the first
        assertThat(Throughput.sustained(1000, 10, 3.0)).isEqualTo(300.0);
        assertThat(Throughput.sustained(1000, 1, 3.0)).isNaN();
    }
}
