package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The average SimCLR publishes, kept lazily for a table's rows, is the per-step average
 * {@code θ_a ← m·θ_a + (1 − m)·θ_q} of the encoders f_q went through, to rounding: here computed step by step in
 * Java from a trainer that trains the same f_q and publishes it.
 */
class AveragedEncoderTest {
    /** A table of 512 rows that a batch of 8 reads a few dozen of: most rows sit out most steps. */
    private static final TextEncoderSpec TEXT = new TextEncoderSpec(512, 6, 4, 0.5f, 8, 4, EmbeddingStandardizer.UNIT,
            TextEncoderSpec.LAYER_NORM);
    private static final float MOMENTUM = 0.8f;
    private static final int STEPS = 8;

    @Test
    void shouldPublishThePerStepAverageOfEveryEncoderFqWentThrough() {
        List<List<float[]>> views = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 2 * STEPS; i++) {
            views.add(ContrastiveTrainerTest.featureIds(8, TEXT, random));
        }
        List<float[][]> published = new ArrayList<>();
        // one after the other, so that both draw the same dropout masks from the engine's generator
        try (ContrastiveTrainer averaging = new ContrastiveTrainer(TEXT, config(TrainerConfig.Published.MOMENTUM),
                Device.cpu(), null, 0)) {
            for (int step = 1; step <= STEPS; step++) {
                averaging.step(views.get(2 * step - 2), views.get(2 * step - 1), ids(step));
                if (step == 3 || step == STEPS) { // read halfway too: catching up must not disturb what follows
                    published.add(values(averaging.saveParameters()));
                }
            }
        }
        float[][] expected;
        float[][] atStep3 = null;
        try (ContrastiveTrainer plain = new ContrastiveTrainer(TEXT, config(TrainerConfig.Published.QUERY),
                Device.cpu(), null, 0)) {
            expected = values(plain.saveParameters());
            for (int step = 1; step <= STEPS; step++) {
                plain.step(views.get(2 * step - 2), views.get(2 * step - 1), ids(step));
                float[][] query = values(plain.saveParameters());
                for (int p = 0; p < expected.length; p++) {
                    for (int i = 0; i < expected[p].length; i++) {
                        expected[p][i] = MOMENTUM * expected[p][i] + (1 - MOMENTUM) * query[p][i];
                    }
                }
                if (step == 3) {
                    atStep3 = Arrays.stream(expected).map(float[]::clone).toArray(float[][]::new);
                }
            }
            float[][] query = values(plain.saveParameters());
            assertThat(query[0]).as("the table moved, so the average has something to lag").isNotEqualTo(expected[0]);
        }
        assertClose(published.get(0), atStep3);
        assertClose(published.get(1), expected);
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual).hasSameDimensionsAs(expected);
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertThat(actual[p][i]).as("parameter %d, value %d", p, i).isCloseTo(expected[p][i], Offset.offset(1e-5f));
            }
        }
    }

    private static TrainerConfig config(TrainerConfig.Published published) {
        return new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, MOMENTUM, 16, 0.01f, 1,
                LearningRateSchedule.CONSTANT, false, published, 3f);
    }

    /** Each parameter's values, in the encoder's order, read back from a snapshot's bytes. */
    private static float[][] values(byte[] parameters) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ContrastiveEncoder encoder = TEXT.newEncoder();
            encoder.setInitializer(new ConstantInitializer(0f), p -> true); // draws nothing: the trainers' masks stay put
            encoder.initialize(manager, DataType.FLOAT32, TEXT.inputShape(2));
            ContrastiveTrainer.loadInto(encoder, manager, parameters);
            return encoder.getParameters().values().stream().map(Parameter::getArray)
                    .map(a -> a.toFloatArray()).toArray(float[][]::new);
        }
    }

    private static long[] ids(int step) {
        long[] ids = new long[8];
        Arrays.setAll(ids, i -> i + 100L * step);
        return ids;
    }
}
