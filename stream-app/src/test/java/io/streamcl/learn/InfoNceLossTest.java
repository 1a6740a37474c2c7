package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InfoNceLossTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    static Stream<Arguments> similaritiesAndTemperatures() {
        List<Arguments> out = new ArrayList<>();
        for (Similarity s : Similarity.values()) {
            for (float tau : new float[] {0.05f, 0.1f, 0.5f, 1f}) {
                out.add(Arguments.of(s, tau));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} tau={1}")
    @MethodSource("similaritiesAndTemperatures")
    void shouldMatchNaiveReferenceForManyShapesWithAndWithoutSelfMask(Similarity s, float tau) {
        Random rnd = new Random(42);
        InfoNceLoss loss = new InfoNceLoss(tau, s);
        for (int b : new int[] {1, 2, 5, 16}) {
            for (int d : new int[] {3, 8}) {
                for (int k : new int[] {0, 7}) {
                    float[][] q = Naive.gaussian(rnd, b, d);
                    float[][] key = Naive.gaussian(rnd, b, d);
                    float[][] bank = Naive.gaussian(rnd, k, d);
                    boolean[][] self = new boolean[b][k];
                    for (boolean[] row : self) {
                        for (int j = 0; j < k; j++) {
                            row[j] = rnd.nextDouble() < 0.3;
                        }
                    }
                    if (k > 0) {
                        java.util.Arrays.fill(self[0], true); // a row whose whole bank is its own item
                    }
                    try (NDManager step = manager.newSubManager()) {
                        NDArray nq = Naive.nd(step, q);
                        NDArray nk = Naive.nd(step, key);
                        NDArray nb = Naive.nd(step, bank, d); // (K, D), K may be 0
                        String what = String.format("%s tau=%s B=%d D=%d K=%d", s, tau, b, d, k);

                        double want = Naive.infoNce(q, key, bank, null, tau, s);
                        double got = loss.compute(nq, nk, k == 0 ? null : nb, null).getFloat();
                        assertThat(Naive.close(got, want, 1e-4)).as("%s: %s vs %s", what, got, want).isTrue();

                        double wantMasked = Naive.infoNce(q, key, bank, self, tau, s);
                        double gotMasked = loss.compute(nq, nk, nb, Naive.nd(step, self, k)).getFloat();
                        assertThat(Naive.close(gotMasked, wantMasked, 1e-4))
                                .as("%s masked: %s vs %s", what, gotMasked, wantMasked)
                                .isTrue();

                        float[] logQ = new float[b];
                        for (int j = 0; j < b; j++) {
                            logQ[j] = (float) Math.log(0.001 + rnd.nextDouble());
                        }
                        double wantLogQ = Naive.infoNce(q, key, bank, self, logQ, tau, s);
                        double gotLogQ = loss.compute(nq, nk, k == 0 ? null : nb, k == 0 ? null : Naive.nd(step, self, k),
                                step.create(logQ)).getFloat();
                        assertThat(Naive.close(gotLogQ, wantLogQ, 1e-4))
                                .as("%s logQ: %s vs %s", what, gotLogQ, wantLogQ)
                                .isTrue();
                    }
                }
            }
        }
    }

    /**
     * Hand-computed, cosine, τ = 1, e1 = (1, 0), e2 = (0, 1); write a = e^{-1/τ}.
     *
     * <pre>
     * q = k = [e1, e2], bank = [e2, -e1], bank row 0 is q2's own item.
     * row 1 (q1 = e1): logits [1, 0 | 0, -1]/τ -> L1 = log(1 + a + a + a²) = 2 log(1 + a)
     * row 2 (q2 = e2): logits [0, 1 | (1 excluded), 0]/τ -> L2 = log(1 + a + a) = log(1 + 2a)
     * L = (2 log(1 + a) + log(1 + 2a)) / 2 = (0.626523 + 0.551444) / 2 = 0.588983 at τ = 1.
     * Without the bank: L = log(1 + a) = 0.313262; without the mask L2 = log 2 + log(1 + a).
     * </pre>
     */
    @Test
    void shouldMatchHandComputedValueOnOrthonormalVectors() {
        float tau = 1f;
        double a = Math.exp(-1 / tau);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray k = step.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray bank = step.create(new float[] {0, 1, -1, 0}, new Shape(2, 2));
            NDArray self = step.create(new boolean[] {false, false, true, false}, new Shape(2, 2));
            InfoNceLoss loss = new InfoNceLoss(tau, Similarity.COSINE);

            assertThat(loss.compute(q, k, null, null).getFloat()).isCloseTo((float) Math.log(1 + a), within(1e-5f));
            assertThat(loss.compute(q, k, null, null).getFloat()).isCloseTo(0.313262f, within(1e-5f));

            double masked = (2 * Math.log(1 + a) + Math.log(1 + 2 * a)) / 2;
            assertThat(loss.compute(q, k, bank, self).getFloat()).isCloseTo((float) masked, within(1e-5f));
            assertThat(loss.compute(q, k, bank, self).getFloat()).isCloseTo(0.588983f, within(1e-5f));

            double unmasked = (2 * Math.log(1 + a) + Math.log(2) + Math.log(1 + a)) / 2;
            assertThat(loss.compute(q, k, bank, null).getFloat()).isCloseTo((float) unmasked, within(1e-5f));
        }
    }

    @Test
    void lowTemperatureShouldApproachZeroWhenPositivesDominate() {
        // Same orthonormal case without a bank: log(1 + e^{-1/τ}) -> about e^{-20} at τ = 0.05.
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            float got = new InfoNceLoss(0.05f, Similarity.COSINE).compute(q, q, null, null).getFloat();
            assertThat((double) got).isCloseTo(Math.log1p(Math.exp(-20)), within(1e-7));
        }
    }

    @Test
    void excludedBankEntriesShouldNotAffectTheLoss() {
        Random rnd = new Random(3);
        float[][] q = Naive.gaussian(rnd, 4, 5);
        float[][] k = Naive.gaussian(rnd, 4, 5);
        float[][] bank = Naive.gaussian(rnd, 6, 5);
        InfoNceLoss loss = new InfoNceLoss(0.2f, Similarity.COSINE);
        try (NDManager step = manager.newSubManager()) {
            boolean[][] all = new boolean[4][6];
            for (boolean[] row : all) {
                java.util.Arrays.fill(row, true);
            }
            float inBatchOnly = loss.compute(Naive.nd(step, q), Naive.nd(step, k), null, null).getFloat();
            float allExcluded = loss.compute(Naive.nd(step, q), Naive.nd(step, k), Naive.nd(step, bank), Naive.nd(step, all, 6))
                    .getFloat();
            assertThat(allExcluded).isCloseTo(inBatchOnly, within(1e-6f));

            // bank row 2 excluded for every query: its content must not matter, even a copy of q_0
            boolean[][] self = new boolean[4][6];
            for (boolean[] row : self) {
                row[2] = true;
            }
            float before = loss.compute(Naive.nd(step, q), Naive.nd(step, k), Naive.nd(step, bank), Naive.nd(step, self, 6))
                    .getFloat();
            bank[2] = q[0].clone();
            float after = loss.compute(Naive.nd(step, q), Naive.nd(step, k), Naive.nd(step, bank), Naive.nd(step, self, 6))
                    .getFloat();
            assertThat(after).isEqualTo(before);
            float unmasked = loss.compute(Naive.nd(step, q), Naive.nd(step, k), Naive.nd(step, bank), null).getFloat();
            assertThat(unmasked).isGreaterThan(after);
        }
    }

    @Test
    void uniformLogQShouldNotChangeTheLoss() {
        Random rnd = new Random(3);
        InfoNceLoss loss = new InfoNceLoss(0.2f, Similarity.COSINE);
        float[][] q = Naive.gaussian(rnd, 4, 5);
        float[][] k = Naive.gaussian(rnd, 4, 5);
        try (NDManager step = manager.newSubManager()) {
            float plain = loss.compute(Naive.nd(step, q), Naive.nd(step, k), null, null).getFloat();
            float uniform = loss.compute(Naive.nd(step, q), Naive.nd(step, k), null, null,
                    step.full(new Shape(4), (float) Math.log(0.25))).getFloat();
            assertThat(uniform).isCloseTo(plain, within(1e-5f));
        }
    }

    @Test
    void keyLogQOfTheWrongShapeShouldBeRejected() {
        InfoNceLoss loss = new InfoNceLoss(0.2f, Similarity.COSINE);
        Random rnd = new Random(4);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = Naive.nd(step, Naive.gaussian(rnd, 3, 4));
            assertThatThrownBy(
                    () -> loss.compute(q, q, null, null, step.zeros(new Shape(2))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyLogQ");
        }
    }

    @Test
    void emptyBankShouldGiveTheInBatchLoss() {
        Random rnd = new Random(5);
        InfoNceLoss loss = new InfoNceLoss(0.1f, Similarity.DOT);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = Naive.nd(step, Naive.gaussian(rnd, 3, 4));
            NDArray k = Naive.nd(step, Naive.gaussian(rnd, 3, 4));
            NDArray emptyBank = step.zeros(new Shape(0, 4));
            NDArray emptySelf = step.zeros(new Shape(3, 0), DataType.BOOLEAN);
            assertThat(loss.compute(q, k, emptyBank, emptySelf).getFloat())
                    .isEqualTo(loss.compute(q, k, null, null).getFloat());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cosine", "dot", "neg-euclidean"})
    void backwardShouldGiveFiniteNonZeroGradientsToQueriesAndKeys(String similarity) {
        Random rnd = new Random(11);
        InfoNceLoss loss = new InfoNceLoss(0.1f, Similarity.parse(similarity));
        try (NDManager step = manager.newSubManager()) {
            NDArray q = Naive.nd(step, Naive.gaussian(rnd, 5, 8));
            NDArray k = Naive.nd(step, Naive.gaussian(rnd, 5, 8));
            NDArray bank = Naive.nd(step, Naive.gaussian(rnd, 7, 8));
            boolean[][] self = new boolean[5][7];
            self[1][3] = true;
            q.setRequiresGradient(true);
            k.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.compute(q, k, bank, Naive.nd(step, self, 7));
                gc.backward(value);
            }
            assertThat(value.getFloat()).isFinite().isPositive();
            assertFiniteNonZero(q.getGradient());
            assertFiniteNonZero(k.getGradient());
        }
    }

    @Test
    void largeLossAtLowTemperatureShouldStayFinite() {
        // Dot similarity of large vectors at τ = 0.05: logits in the thousands, positives not the largest.
        Random rnd = new Random(13);
        float[][] qa = Naive.gaussian(rnd, 16, 8);
        float[][] ka = Naive.gaussian(rnd, 16, 8);
        for (int i = 0; i < 16; i++) {
            for (int j = 0; j < 8; j++) {
                qa[i][j] *= 10;
                ka[i][j] *= 10;
            }
        }
        InfoNceLoss loss = new InfoNceLoss(0.05f, Similarity.DOT);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = Naive.nd(step, qa);
            NDArray k = Naive.nd(step, ka);
            NDArray bank = Naive.nd(step, Naive.gaussian(rnd, 7, 8));
            NDArray self = step.ones(new Shape(16, 7)).toType(DataType.BOOLEAN, false); // all excluded
            q.setRequiresGradient(true);
            NDArray value;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                value = loss.compute(q, k, bank, self);
                gc.backward(value);
            }
            assertThat(value.getFloat()).isFinite().isGreaterThan(100f);
            assertThat(Naive.close(value.getFloat(), Naive.infoNce(qa, ka, new float[0][], null, 0.05, Similarity.DOT), 1e-4))
                    .isTrue();
            assertFiniteNonZero(q.getGradient());
        }
    }

    @Test
    void gradientsShouldBeReproducibleUnderGarbageCollectionPressure() {
        // Regression for DJL's silent NaN: scalars made from Java numbers were freed before backward.
        Random rnd = new Random(17);
        float[][] qa = Naive.gaussian(rnd, 8, 6);
        float[][] ka = Naive.gaussian(rnd, 8, 6);
        float[][] ba = Naive.gaussian(rnd, 7, 6);
        InfoNceLoss loss = new InfoNceLoss(0.07f, Similarity.COSINE);
        float[] first = null;
        for (int it = 0; it < 30; it++) {
            try (NDManager step = manager.newSubManager()) {
                NDArray q = Naive.nd(step, qa);
                q.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray value = loss.compute(q, Naive.nd(step, ka), Naive.nd(step, ba), null);
                    System.gc();
                    gc.backward(value);
                }
                float[] grad = q.getGradient().toFloatArray();
                if (first == null) {
                    first = grad;
                } else {
                    assertThat(grad).as("iteration %d", it).containsExactly(first);
                }
            }
        }
    }

    /**
     * Batch-size behaviour: the loss is a mean over rows, but tiling the batch (B -> 2B, same
     * pairs) is NOT an identity for InfoNCE: each in-batch key now appears twice, and q_i's own key
     * appears again as a negative. Per row, log(2S + T) - l_ii replaces log(S + T) - l_ii, where S
     * sums the in-batch terms and T the bank terms, so original <= tiled <= original + log 2 (a sum
     * reduction would double the value instead). The exact tiled value is checked too.
     */
    @Test
    void tiledBatchShouldStayWithinLog2OfTheOriginalBecauseTheLossIsAMean() {
        Random rnd = new Random(19);
        float[][] q = Naive.gaussian(rnd, 5, 8);
        float[][] k = Naive.gaussian(rnd, 5, 8);
        float[][] bank = Naive.gaussian(rnd, 7, 8);
        InfoNceLoss loss = new InfoNceLoss(0.5f, Similarity.COSINE);
        try (NDManager step = manager.newSubManager()) {
            NDArray nb = Naive.nd(step, bank);
            float original = loss.compute(Naive.nd(step, q), Naive.nd(step, k), nb, null).getFloat();
            float tiled = loss.compute(Naive.nd(step, Naive.tile(q)), Naive.nd(step, Naive.tile(k)), nb, null).getFloat();
            assertThat(tiled).isGreaterThanOrEqualTo(original).isLessThanOrEqualTo(original + (float) Math.log(2));
            double want = Naive.infoNce(Naive.tile(q), Naive.tile(k), bank, null, 0.5, Similarity.COSINE);
            assertThat(Naive.close(tiled, want, 1e-4)).isTrue();
        }
    }

    @Test
    void shouldNotLeaveTemporariesInTheManagersOfKeysOrBank() {
        Random rnd = new Random(23);
        InfoNceLoss loss = new InfoNceLoss(0.1f, Similarity.NEG_EUCLIDEAN);
        try (NDManager longLived = manager.newSubManager(); NDManager step = manager.newSubManager()) {
            NDArray k = Naive.nd(longLived, Naive.gaussian(rnd, 4, 3));
            NDArray bank = Naive.nd(longLived, Naive.gaussian(rnd, 7, 3));
            NDArray self = step.zeros(new Shape(4, 7), DataType.BOOLEAN);
            int before = longLived.getManagedArrays().size();
            loss.compute(Naive.nd(step, Naive.gaussian(rnd, 4, 3)), k, bank, self);
            assertThat(longLived.getManagedArrays()).hasSize(before);
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY})
    void constructorShouldRejectBadTemperature(float tau) {
        assertThatThrownBy(() -> new InfoNceLoss(tau, Similarity.COSINE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temperature must be > 0")
                .hasMessageContaining(String.valueOf(tau));
    }

    @Test
    void constructorShouldRejectMissingSimilarity() {
        assertThatThrownBy(() -> new InfoNceLoss(0.1f, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("similarity");
    }

    @Test
    void computeShouldRejectInconsistentShapes() {
        InfoNceLoss loss = new InfoNceLoss(0.1f, Similarity.DOT);
        try (NDManager step = manager.newSubManager()) {
            NDArray q = step.ones(new Shape(2, 3));
            assertThatThrownBy(() -> loss.compute(q, step.ones(new Shape(3, 3)), null, null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("k must have");
            assertThatThrownBy(() -> loss.compute(q, q, step.ones(new Shape(4, 2)), null))
                    .isInstanceOf(IllegalArgumentException.class);
            NDArray self = step.zeros(new Shape(2, 4), DataType.BOOLEAN);
            assertThatThrownBy(() -> loss.compute(q, q, null, self))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bankIsSelf");
            assertThatThrownBy(() -> loss.compute(q, q, step.ones(new Shape(5, 3)), self))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bankIsSelf must be (B, K)");
            assertThatThrownBy(() -> loss.compute(q, q, step.ones(new Shape(4, 3)), step.zeros(new Shape(2, 4))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("boolean");
        }
    }

    static void assertFiniteNonZero(NDArray grad) {
        float[] g = grad.toFloatArray();
        double norm = 0;
        for (float v : g) {
            assertThat(v).isFinite();
            norm += v * v;
        }
        assertThat(norm).isGreaterThan(0);
    }
}
