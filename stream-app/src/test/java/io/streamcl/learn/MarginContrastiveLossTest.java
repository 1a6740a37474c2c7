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
import org.junit.jupiter.params.provider.ValueSource;

class MarginContrastiveLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(floats = {0.5f, 1f, 2f, 5f})
    void shouldMatchNaiveReferenceForManyShapes(float margin) {
        Random rnd = new Random(201);
        MarginContrastiveLoss loss = new MarginContrastiveLoss(margin);
        for (int n : new int[] {1, 2, 5, 16}) {
            for (int d : new int[] {3, 8}) {
                float[][] a = Naive.gaussian(rnd, n, d);
                float[][] b = Naive.gaussian(rnd, n, d);
                float[] y = labels(rnd, n);
                try (NDManager step = manager.newSubManager()) {
                    double got = loss.compute(Naive.nd(step, a), Naive.nd(step, b), step.create(y)).getFloat();
                    double want = Naive.margin(a, b, y, margin);
                    assertThat(Naive.close(got, want, 1e-4))
                            .as("margin=%s N=%d D=%d: %s vs %s", margin, n, d, got, want)
                            .isTrue();
                }
            }
        }
    }

    /** a = (0, 0), b = (3, 4): d = 5. Pull: 25/2. Push, margin 6: (6 - 5)²/2 = 0.5; margin 4: 0. */
    @Test
    void shouldMatchHandComputedValues() {
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.create(new float[] {0, 0, 0, 0}, new Shape(2, 2));
            NDArray b = step.create(new float[] {3, 4, 3, 4}, new Shape(2, 2));
            NDArray same = step.create(new float[] {1, 1});
            NDArray different = step.create(new float[] {0, 0});
            NDArray mixed = step.create(new float[] {1, 0});
            assertThat(new MarginContrastiveLoss(6f).compute(a, b, same).getFloat()).isCloseTo(12.5f, within(1e-5f));
            assertThat(new MarginContrastiveLoss(6f).compute(a, b, different).getFloat()).isCloseTo(0.5f, within(1e-5f));
            assertThat(new MarginContrastiveLoss(4f).compute(a, b, different).getFloat()).isCloseTo(0f, within(1e-6f));
            assertThat(new MarginContrastiveLoss(6f).compute(a, b, mixed).getFloat()).isCloseTo(6.5f, within(1e-5f));
        }
    }

    /** The loss is a mean of per-pair terms with no interaction between pairs: tiling is an identity. */
    @Test
    void tiledBatchShouldGiveTheSameValue() {
        Random rnd = new Random(203);
        float[][] a = Naive.gaussian(rnd, 5, 8);
        float[][] b = Naive.gaussian(rnd, 5, 8);
        float[] y = labels(rnd, 5);
        float[] yy = new float[10];
        System.arraycopy(y, 0, yy, 0, 5);
        System.arraycopy(y, 0, yy, 5, 5);
        MarginContrastiveLoss loss = new MarginContrastiveLoss(4f);
        try (NDManager step = manager.newSubManager()) {
            float once = loss.compute(Naive.nd(step, a), Naive.nd(step, b), step.create(y)).getFloat();
            float twice = loss.compute(Naive.nd(step, Naive.tile(a)), Naive.nd(step, Naive.tile(b)), step.create(yy)).getFloat();
            assertThat(twice).isCloseTo(once, within(1e-6f * Math.max(1f, once)));
        }
    }

    @Test
    void gradientShouldBeFiniteForIdenticalRows() {
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.create(new float[] {1, 2, 3, 1, 2, 3}, new Shape(2, 3));
            NDArray b = step.create(new float[] {1, 2, 3, 1, 2, 3}, new Shape(2, 3));
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = new MarginContrastiveLoss(1f).compute(a, b, step.create(new float[] {1, 0}));
                gc.backward(value);
            }
            assertThat(value.getFloat()).isCloseTo(0.25f, within(1e-5f)); // (1 - 0)²/2 / 2 pairs
            for (float g : a.getGradient().toFloatArray()) {
                assertThat(g).isFinite();
            }
            for (float g : b.getGradient().toFloatArray()) {
                assertThat(g).isFinite();
            }
        }
    }

    @Test
    void backwardShouldGiveFiniteNonZeroGradients() {
        Random rnd = new Random(205);
        try (NDManager step = manager.newSubManager()) {
            NDArray a = Naive.nd(step, Naive.gaussian(rnd, 6, 4));
            NDArray b = Naive.nd(step, Naive.gaussian(rnd, 6, 4));
            a.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new MarginContrastiveLoss(10f).compute(a, b, step.create(new float[] {1, 0, 1, 0, 1, 0})));
            }
            InfoNceLossTest.assertFiniteNonZero(a.getGradient());
        }
    }

    @Test
    void integerLabelsShouldBeAccepted() {
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.create(new float[] {0, 0}, new Shape(1, 2));
            NDArray b = step.create(new float[] {3, 4}, new Shape(1, 2));
            assertThat(new MarginContrastiveLoss(6f).compute(a, b, step.create(new int[] {1})).getFloat())
                    .isCloseTo(12.5f, within(1e-5f));
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY})
    void constructorShouldRejectBadMargin(float margin) {
        assertThatThrownBy(() -> new MarginContrastiveLoss(margin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("margin must be > 0")
                .hasMessageContaining(String.valueOf(margin));
    }

    @Test
    void computeShouldRejectInconsistentShapes() {
        MarginContrastiveLoss loss = new MarginContrastiveLoss(1f);
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.ones(new Shape(2, 3));
            assertThatThrownBy(() -> loss.compute(a, step.ones(new Shape(2, 4)), step.ones(new Shape(2))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> loss.compute(a, a, step.ones(new Shape(3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive must be (N)");
        }
    }

    private static float[] labels(Random rnd, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextBoolean() ? 1f : 0f;
        }
        return y;
    }
}
