package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbeSetTest {
    private static final ImageCnnSpec TINY = new ImageCnnSpec(1, 8, new int[] {4}, 16, 8);
    private final PromotionGate gate = new PromotionGate(0.05);

    @Test
    void shouldRefuseACollapsedOrNonFiniteEncoderAndPassAHealthyOne() {
        ProbeSet probe = noisyPairs(64, 3);
        byte[] healthy = parameters(1f);
        ProbeFigures served = measure(probe, healthy);
        assertThat(served.top1()).as("two noisy copies of an image find each other").isGreaterThan(0.8);
        assertThat(served.pairs()).isEqualTo(64);

        ProbeFigures same = measure(probe, healthy);
        assertThat(gate.judge(10, 1.5f, true, same, served).passed()).isTrue();

        ProbeFigures collapsed = measure(probe, parameters(0f)); // every embedding the same (zero)
        assertThat(collapsed.top1()).isLessThan(0.1);
        PromotionGate.Verdict refused = gate.judge(10, 1.5f, true, collapsed, served);
        assertThat(refused.passed()).isFalse();
        assertThat(refused.toString()).startsWith("refused: probe top-1");

        // an encoder with a NaN parameter is not even loaded: it could only make NaN vectors
        assertThatThrownBy(() -> measure(probe, parameters(Float.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not all finite");
        assertThat(gate.judge(10, 1.5f, false, null, served).passed()).isFalse();
    }

    @Test
    void shouldKeepOnlyItsFirstPairsAndSurviveARoundTrip() {
        ProbeSet probe = new ProbeSet(3);
        for (int i = 0; i < 5; i++) {
            probe.offer(new float[] {i, 1}, new float[] {i, 2});
        }
        assertThat(probe.isFull()).isTrue();
        assertThat(probe.size()).isEqualTo(3);
        ProbeSet back = ProbeSet.fromBytes(probe.toBytes());
        assertThat(back.capacity()).isEqualTo(3);
        assertThat(back.toBytes()).isEqualTo(probe.toBytes());
        assertThatThrownBy(() -> ProbeSet.fromBytes(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }

    /** Pairs of two noisy copies of random 8x8 images. */
    private static ProbeSet noisyPairs(int n, long seed) {
        Random r = new Random(seed);
        ProbeSet probe = new ProbeSet(n);
        for (int i = 0; i < n; i++) {
            float[] x = new float[64];
            for (int j = 0; j < x.length; j++) {
                x[j] = r.nextFloat();
            }
            probe.offer(noisy(x, r), noisy(x, r));
        }
        return probe;
    }

    private static float[] noisy(float[] x, Random r) {
        float[] y = x.clone();
        for (int j = 0; j < y.length; j++) {
            y[j] += (float) (r.nextGaussian() * 0.02);
        }
        return y;
    }

    /** A seeded encoder's parameters, every value multiplied by {@code factor} (0: collapsed, NaN: broken). */
    private static byte[] parameters(float factor) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ContrastiveEncoder e = TINY.newEncoder();
            synchronized (ContrastiveTrainer.RANDOM_LOCK) {
                m.getEngine().setRandomSeed(5);
                e.initialize(m, DataType.FLOAT32, TINY.inputShape(1));
            }
            for (Parameter p : e.getParameters().values()) {
                p.getArray().muli(factor);
            }
            return ContrastiveTrainer.saveParameters(e);
        }
    }

    private static ProbeFigures measure(ProbeSet probe, byte[] parameters) {
        try (Embedder e = new Embedder(TINY, parameters, Device.cpu())) {
            return probe.measure(e);
        }
    }
}
