package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PairRetrievalTest {

    @Test
    void shouldRetrieveEveryPairWhenCandidatesAreTheAnchors() {
        float[][] x = TestData.gaussian(new Random(1), 300, 16);

        assertThat(PairRetrieval.top1(x, x)).isEqualTo(1.0);
    }

    @Test
    void shouldRetrieveNoisyPositivesAndIgnoreScale() {
        Random rnd = new Random(2);
        float[][] anchors = TestData.gaussian(rnd, 200, 64);
        float[][] candidates = new float[200][64];
        for (int i = 0; i < 200; i++) {
            for (int t = 0; t < 64; t++) {
                candidates[i][t] = 5f * (anchors[i][t] + 0.1f * (float) rnd.nextGaussian());
            }
        }

        assertThat(PairRetrieval.top1(anchors, candidates)).isEqualTo(1.0);
    }

    @Test
    void shouldScoreLowWhenCandidatesAreShuffled() {
        Random rnd = new Random(3);
        float[][] anchors = TestData.gaussian(rnd, 500, 32);
        float[][] shuffled = new float[500][];
        for (int i = 0; i < 500; i++) {
            shuffled[i] = anchors[(i + 1) % 500];
        }

        assertThat(PairRetrieval.top1(anchors, shuffled)).isEqualTo(0.0);
        assertThat(PairRetrieval.top1(anchors, TestData.gaussian(rnd, 500, 32))).isLessThan(0.05);
    }

    @Test
    void shouldRejectMismatchedRows() {
        float[][] x = {{1, 0}, {0, 1}};

        assertThatThrownBy(() -> PairRetrieval.top1(x, new float[][] {{1, 0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("candidates");
    }
}
