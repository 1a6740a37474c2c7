package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SimilarityTest {

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
    @EnumSource(Similarity.class)
    void matrixShouldMatchNaiveReferenceForManyShapes(Similarity s) {
        Random rnd = new Random(7);
        for (int n : new int[] {1, 2, 5, 16}) {
            for (int m : new int[] {1, 7}) {
                for (int d : new int[] {3, 8}) {
                    float[][] a = Naive.gaussian(rnd, n, d);
                    float[][] b = Naive.gaussian(rnd, m, d);
                    try (NDManager step = manager.newSubManager()) {
                        NDArray got = s.matrix(Naive.nd(step, a), Naive.nd(step, b));
                        assertThat(got.getShape()).isEqualTo(new Shape(n, m));
                        float[] flat = got.toFloatArray();
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < m; j++) {
                                double want = Naive.sim(s, a[i], b[j]);
                                assertThat(Naive.close(flat[i * m + j], want, 1e-5))
                                        .as("%s n=%d m=%d d=%d (%d,%d): %s vs %s", s, n, m, d, i, j, flat[i * m + j], want)
                                        .isTrue();
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Similarity.class)
    void matrixShouldLeaveNoTemporariesInTheManagerOfB(Similarity s) {
        Random rnd = new Random(1);
        try (NDManager longLived = manager.newSubManager(); NDManager step = manager.newSubManager()) {
            NDArray b = Naive.nd(longLived, Naive.gaussian(rnd, 6, 4)); // like a bank
            int before = longLived.getManagedArrays().size();
            s.matrix(Naive.nd(step, Naive.gaussian(rnd, 3, 4)), b);
            assertThat(longLived.getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void negEuclideanShouldHaveFiniteValueAndGradientForIdenticalRows() {
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.create(new float[] {1f, 2f, 3f}, new Shape(1, 3));
            a.setRequiresGradient(true);
            NDArray sim;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                sim = Similarity.NEG_EUCLIDEAN.matrix(a, a);
                gc.backward(sim.sum());
            }
            assertThat(sim.getFloat(0, 0)).isCloseTo(-1e-6f, org.assertj.core.data.Offset.offset(1e-6f));
            for (float g : a.getGradient().toFloatArray()) {
                assertThat(g).isFinite();
            }
        }
    }

    @Test
    void matrixShouldRejectMismatchedDimensions() {
        try (NDManager step = manager.newSubManager()) {
            NDArray a = step.ones(new Shape(2, 3));
            NDArray b = step.ones(new Shape(2, 4));
            assertThatThrownBy(() -> Similarity.DOT.matrix(a, b))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("same D");
            assertThatThrownBy(() -> Similarity.DOT.matrix(step.ones(new Shape(3)), a))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "COSINE", " Cosine ", "dot", "Dot", "neg-euclidean", "NEG-EUCLIDEAN"})
    void parseShouldAcceptSettingNamesCaseInsensitively(String name) {
        assertThat(Similarity.parse(name).settingName()).isEqualTo(name.trim().toLowerCase(java.util.Locale.ROOT));
    }

    @ParameterizedTest
    @EnumSource(Similarity.class)
    void parseShouldRoundTripTheSettingName(Similarity s) {
        assertThat(Similarity.parse(s.settingName())).isSameAs(s);
    }

    @Test
    void parseShouldListTheChoicesOnAnUnknownName() {
        assertThatThrownBy(() -> Similarity.parse("euclid"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cosine, dot, neg-euclidean")
                .hasMessageContaining("'euclid'");
        assertThatThrownBy(() -> Similarity.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Similarity.parse("NEG_EUCLIDEAN")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyCosineShouldNormalize() {
        assertThat(Similarity.COSINE.normalizes()).isTrue();
        assertThat(Similarity.DOT.normalizes()).isFalse();
        assertThat(Similarity.NEG_EUCLIDEAN.normalizes()).isFalse();
    }
}
