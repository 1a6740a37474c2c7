package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlignmentUniformityTest {

    @Test
    void shouldGiveZeroAlignmentForIdenticalPairs() {
        float[][] x = TestData.gaussian(new Random(1), 50, 8);

        assertThat(AlignmentUniformity.alignment(x, x)).isZero();
    }

    @Test
    void shouldGiveAlignmentFourForOppositePairs() {
        float[][] x = {{1, 0}, {0, 2}};
        float[][] y = {{-3, 0}, {0, -1}};

        assertThat(AlignmentUniformity.alignment(x, y)).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void shouldGiveZeroUniformityForCollapsedVectors() {
        float[][] x = new float[100][];
        Arrays.setAll(x, i -> new float[] {0.3f, -1.2f, 2f, 0.5f});

        assertThat(AlignmentUniformity.uniformity(x, 1000, 7)).isZero();
        assertThat(AlignmentUniformity.uniformity(x, 10, 7)).isZero();
    }

    @Test
    void shouldGiveUniformityWellBelowMinusOneForRandomUnitVectors() {
        float[][] x = TestData.gaussian(new Random(2), 400, 32);

        double all = AlignmentUniformity.uniformity(x, 1_000_000, 0);
        double sampled = AlignmentUniformity.uniformity(x, 20_000, 0);

        assertThat(all).isLessThan(-1).isGreaterThanOrEqualTo(-8);
        assertThat(sampled).isCloseTo(all, within(0.05));
    }

    @Test
    void shouldMatchTheFormulaOnTwoOrthogonalVectors() {
        // ||e1 - e2||^2 = 2, so log exp(-4) = -4
        float[][] x = {{1, 0}, {0, 1}};

        assertThat(AlignmentUniformity.uniformity(x, 1, 0)).isCloseTo(-4.0, within(1e-12));
    }

    @Test
    void shouldBeReproducibleForAGivenSeed() {
        float[][] x = TestData.gaussian(new Random(3), 300, 16);

        assertThat(AlignmentUniformity.uniformity(x, 500, 42)).isEqualTo(AlignmentUniformity.uniformity(x, 500, 42));
    }

    @Test
    void shouldRejectTooFewVectorsOrPairs() {
        assertThatThrownBy(() -> AlignmentUniformity.uniformity(new float[][] {{1, 0}}, 10, 0))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> AlignmentUniformity.uniformity(new float[][] {{1, 0}, {0, 1}}, 0, 0))
                .hasMessageContaining("maxPairs");
        assertThatThrownBy(() -> AlignmentUniformity.alignment(new float[][] {{1, 0}}, new float[][] {{1, 0, 0}}))
                .hasMessageContaining("y[0]");
    }
}
