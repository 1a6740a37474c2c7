package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.learn.ContrastiveTrainer;
import org.junit.jupiter.api.Test;

/**
 * A trainer's checkpoint is stored in parts of one record each ({@link ChunkedValues}), but its parameters travel
 * whole, as one snapshot on the models topic: at its defaults, every kind's must fit in what the topics and
 * producers accept, with room for the probe and the record's envelope. A larger default vocabulary or wider
 * vectors would otherwise only fail once a broker refuses the record.
 */
class DefaultCheckpointSizeTest {

    @Test
    void everyKindsDefaultParametersFitInOneRecord() {
        Settings settings = KindRegistry.standard().defaultSettings().with(java.util.Map.of("device", "cpu"));
        for (ItemKind<?> kind : ItemKinds.fromSettings(settings).all()) {
            Settings s = settings.forKind(kind.name());
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(kind.encoderSpec(),
                    LearnerTopology.trainerConfig(s), Device.cpu(), null, 0)) {
                trainer.step(views(kind, 1), views(kind, 2), new long[] {1, 2, 3, 4}); // Adam's moments appear at the first step
                assertThat(trainer.steps()).isEqualTo(1);
                int parameters = trainer.saveParameters().length;
                long checkpoint = trainer.checkpoint().length();
                System.out.printf("[DefaultCheckpointSizeTest] %s: parameters %,d bytes, checkpoint %,d bytes%n",
                        kind.name(), parameters, checkpoint);
                assertThat(parameters).as(kind.name() + " parameter bytes")
                        .isLessThan(TopicSetup.MAX_MESSAGE_BYTES * 9 / 10);
                assertThat(ChunkedValues.PART_BYTES).isLessThan(TopicSetup.MAX_MESSAGE_BYTES * 9 / 10);
            }
        }
    }

    /** Four inputs of small whole numbers: valid feature ids for the hashed kinds, grey levels for images. */
    private static java.util.List<float[]> views(ItemKind<?> kind, long seed) {
        java.util.Random random = new java.util.Random(seed);
        java.util.List<float[]> views = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] v = new float[kind.encoderSpec().inputSize()];
            for (int j = 0; j < v.length; j++) {
                v[j] = 1 + random.nextInt(15);
            }
            views.add(v);
        }
        return views;
    }
}
