package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** The whitening matrix: C_α^(-1/2), shrunk toward the identity by α times the mean eigenvalue. */
class EmbeddingStandardizerTest {

    @Test
    void shouldScaleEachPrincipalDirectionByItsShrunkInverseDeviation() {
        // C = R diag(4, 1) Rᵀ, R a rotation by 45°: eigenvalues 4 and 1, mean 2.5
        float[] c = {2.5f, 1.5f, 1.5f, 2.5f};
        float[] w = EmbeddingStandardizer.zca(c, 2);
        double alpha = EmbeddingStandardizer.SHRINKAGE * 2.5;
        double big = 1 / Math.sqrt(4 + alpha);
        double small = 1 / Math.sqrt(1 + alpha);
        // W = R diag(big, small) Rᵀ
        assertThat(w[0]).isCloseTo((float) ((big + small) / 2), offset(1e-5f));
        assertThat(w[1]).isCloseTo((float) ((big - small) / 2), offset(1e-5f));
        assertThat(w[2]).isEqualTo(w[1]);
        assertThat(w[3]).isCloseTo(w[0], offset(1e-6f));
    }

    @Test
    void theUntrainedCovarianceShouldOnlyScaleSoUnitVectorsStayAsTheyAre() {
        float[] w = EmbeddingStandardizer.zca(new float[] {1, 0, 0, 1}, 2);
        assertThat(w[1]).isZero();
        assertThat(w[0]).isCloseTo(w[3], offset(1e-7f));
    }
}
