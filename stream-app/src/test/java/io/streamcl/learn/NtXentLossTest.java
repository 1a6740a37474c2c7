package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NtXentLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @ParameterizedTest(name = "{0} tau={1}")
    @MethodSource("io.streamcl.learn.InfoNceLossTest#similaritiesAndTemperatures")
    void shouldMatchNaiveReferenceForManyShapes(Similarity s, float tau) {
        Random rnd = new Random(101);
        NtXentLoss loss = new NtXentLoss(tau, s);
        for (int b : new int[] {1, 2, 5, 16}) {
            for (int d : new int[] {3, 8}) {
                float[][] z1 = Naive.gaussian(rnd, b, d);
                float[][] z2 = Naive.gaussian(rnd, b, d);
                try (NDManager step = manager.newSubManager()) {
                    double got = loss.compute(Naive.nd(step, z1), Naive.nd(step, z2)).getFloat();
                    double want = Naive.ntXent(z1, z2, tau, s);
                    assertThat(Naive.close(got, want, 1e-4))
                            .as("%s tau=%s B=%d D=%d: %s vs %s", s, tau, b, d, got, want)
                            .isTrue();
                }
            }
        }
    }

    /**
     * Hand-computed, cosine: z1 = [e1, e2], z2 = [e1, e2] (each view equals its partner). For view
     * e1 (first copy): others are e2, e1 (partner), e2 with logits 0, 1/τ, 0, so
     * L = log(1 + 2 e^{-1/τ}) for each of the 4 views; at τ = 0.5: log(1 + 2e^{-2}) = 0.239545.
     */
    @Test
    void shouldMatchHandComputedValueOnOrthonormalVectors() {
        try (NDManager step = manager.newSubManager()) {
            NDArray z = step.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            float got = new NtXentLoss(0.5f, Similarity.COSINE).compute(z, z.duplicate()).getFloat();
            assertThat(got).isCloseTo((float) Math.log(1 + 2 * Math.exp(-2)), within(1e-5f));
            assertThat(got).isCloseTo(0.239545f, within(1e-5f));
        }
    }

    @Test
    void singlePairShouldHaveZeroLossBecauseItHasNoNegatives() {
        try (NDManager step = manager.newSubManager()) {
            NDArray z1 = step.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray z2 = step.create(new float[] {-1, 0, 2}, new Shape(1, 3));
            assertThat(new NtXentLoss(0.1f, Similarity.DOT).compute(z1, z2).getFloat()).isCloseTo(0f, within(1e-6f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "dot", "neg-euclidean"})
    void backwardShouldGiveFiniteNonZeroGradientsToBothViews(String similarity) {
        Random rnd = new Random(103);
        NtXentLoss loss = new NtXentLoss(0.05f, Similarity.parse(similarity));
        try (NDManager step = manager.newSubManager()) {
            NDArray z1 = Naive.nd(step, Naive.gaussian(rnd, 6, 8));
            NDArray z2 = Naive.nd(step, Naive.gaussian(rnd, 6, 8));
            z1.setRequiresGradient(true);
            z2.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.compute(z1, z2);
                gc.backward(value);
            }
            assertThat(value.getFloat()).isFinite().isPositive();
            InfoNceLossTest.assertFiniteNonZero(z1.getGradient());
            InfoNceLossTest.assertFiniteNonZero(z2.getGradient());
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -1f, Float.NaN})
    void constructorShouldRejectBadTemperature(float tau) {
        assertThatThrownBy(() -> new NtXentLoss(tau, Similarity.COSINE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature must be > 0");
    }

    @Test
    void computeShouldRejectViewsOfDifferentShapes() {
        NtXentLoss loss = new NtXentLoss(0.5f, Similarity.COSINE);
        try (NDManager step = manager.newSubManager()) {
            assertThatThrownBy(() -> loss.compute(step.ones(new Shape(2, 3)), step.ones(new Shape(3, 3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("z2 must have");
        }
    }
}
