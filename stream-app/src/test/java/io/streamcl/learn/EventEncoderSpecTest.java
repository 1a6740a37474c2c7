package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.streamcl.ingest.EventFeatures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventEncoderSpecTest {
    private final EventEncoderSpec spec = new EventEncoderSpec(512, 4, 2, 8, 6, 5);
    private final EventFeatures features = new EventFeatures(512, 4, 2);

    @Test
    void configShouldRoundTrip() {
        assertThat(EventEncoderSpec.fromConfig(spec.config())).isEqualTo(spec);
        assertThat(spec.inputSize()).isEqualTo(8);
    }

    @Test
    void repeatingAnItemOrPaddingShouldNotChangeTheEmbedding() {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 16,
                0.01f, 1);
        byte[] parameters;
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(spec, config, Device.cpu(), null, 0)) {
            parameters = trainer.saveParameters();
        }
        try (Embedder embedder = new Embedder(spec, parameters, Device.cpu())) {
            // the user tower is a mean over non-empty slots: [a, a, a] and [a, pad, pad, pad] agree
            float[][] raw = embedder.embed(List.of(features.sequence(List.of("a", "b")),
                    features.sequence(List.of("a", "a", "a")), features.item("a", Map.of())));
            assertThat(raw[1]).containsExactly(raw[2], within(1e-5f)); // repeats change nothing, padding is ignored
            assertThat(raw[0]).hasSize(6);
        }
    }
}
