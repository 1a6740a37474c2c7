package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void shouldWarmUpLinearlyThenFollowAHalfCosineDownToTheFloorAndStayThere() {
        LearningRateSchedule s = new LearningRateSchedule(10, 100, 0.1f);
        assertThat(s.factor(1)).isCloseTo(0.1, within(1e-9));
        assertThat(s.factor(5)).isCloseTo(0.5, within(1e-9));
        assertThat(s.factor(10)).isCloseTo(1.0, within(1e-9));
        assertThat(s.factor(60)).isCloseTo(0.55, within(1e-6)); // half way: floor + (1 - floor) / 2
        assertThat(s.factor(110)).isCloseTo(0.1, within(1e-6));
        assertThat(s.factor(1_000_000)).isCloseTo(0.1, within(1e-6));
        for (long t = 11; t < 110; t++) {
            assertThat(s.factor(t + 1)).isLessThan(s.factor(t));
        }
    }

    @Test
    void shouldStayAtTheBaseRateWithoutWarmUpOrDecay() {
        assertThat(LearningRateSchedule.CONSTANT.factor(1)).isEqualTo(1.0);
        assertThat(LearningRateSchedule.CONSTANT.factor(123_456)).isEqualTo(1.0);
        assertThat(new LearningRateSchedule(0, 50, 0f).factor(1)).isCloseTo(1.0, within(1e-3));
        assertThat(new LearningRateSchedule(4, 0, 0f).factor(400)).isEqualTo(1.0);
    }

    @Test
    void shouldRefuseNegativeStepsAndAFloorOutsideZeroToOne() {
        assertThatThrownBy(() -> new LearningRateSchedule(-1, 0, 0.1f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 1.5f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
