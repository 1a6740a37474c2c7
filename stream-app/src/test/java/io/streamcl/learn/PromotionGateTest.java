package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromotionGateTest {
    private static final ProbeFigures SERVED = new ProbeFigures(0.30, -2.0, 0.70, 256);
    private final PromotionGate gate = new PromotionGate(0.05);

    @Test
    void shouldPassASnapshotNoWorseThanTheServedBeyondTheTolerance() {
        assertThat(gate.judge(100, 2.1f, true, new ProbeFigures(0.32, -1.99, 0.66, 256), SERVED).passed()).isTrue();
        assertThat(gate.judge(100, 2.1f, true, new ProbeFigures(0.45, -2.3, 0.80, 256), SERVED).passed())
                .as("worse alignment, paid for by more spread: what learning looks like").isTrue();
        assertThat(gate.judge(100, 2.1f, true, new ProbeFigures(0.10, -3.0, 0.95, 256), SERVED).toString())
                .isEqualTo("passed");
    }

    @Test
    void shouldRefuseEachFigureWorseBeyondTheTolerance() {
        assertThat(gate.judge(100, 2f, true, new ProbeFigures(0.30, -2.0, 0.60, 256), SERVED).reason())
                .startsWith("probe top-1 0.600 below the served 0.700");
        assertThat(gate.judge(100, 2f, true, new ProbeFigures(0.30, -1.5, 0.70, 256), SERVED).reason())
                .startsWith("probe alignment + uniformity -1.200 above (worse than) the served -1.700")
                .endsWith("and top-1 no better");
        assertThat(gate.judge(100, 2f, true, new ProbeFigures(0.30, -1.5, 0.75, 256), SERVED).passed())
                .as("a better retrieval outweighs the sum").isTrue();
        assertThat(gate.judge(100, 2f, true, new ProbeFigures(0.50, -2.0, 0.70, 256), SERVED).passed()).isFalse();
        assertThat(gate.judge(100, 2f, true, new ProbeFigures(0.0, 0.0, 0.70, 256), SERVED).reason())
                .as("collapsed: perfect alignment, no spread").startsWith("probe alignment + uniformity 0.000");
    }

    @Test
    void shouldRefuseANonFiniteLossOrParametersWhateverTheFigures() {
        assertThat(gate.judge(100, Float.NaN, true, SERVED, SERVED).reason()).isEqualTo("loss is NaN");
        assertThat(gate.judge(100, Float.POSITIVE_INFINITY, true, null, null).passed()).isFalse();
        assertThat(gate.judge(100, 1f, false, SERVED, SERVED).reason()).isEqualTo("parameters are not all finite");
    }

    @Test
    void shouldPassOnTheFiniteChecksAloneUntilThereIsSomethingToCompare() {
        assertThat(gate.judge(0, Float.NaN, true, null, null).passed()).as("the untrained encoder has no loss").isTrue();
        assertThat(gate.judge(5, 3f, true, null, SERVED).reason()).contains("probe still filling");
        assertThat(gate.judge(5, 3f, true, SERVED, null).reason()).contains("nothing to compare");
        assertThat(gate.judge(5, 3f, true, SERVED, new ProbeFigures(0.3, -2, 0.9, 100)).reason())
                .as("figures from another probe are not compared").contains("nothing to compare");
    }
}
