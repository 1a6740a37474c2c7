package io.streamcl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.kind.EventKind;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.KindDefinition;
import io.streamcl.kind.KindRegistry;
import io.streamcl.learn.EventEncoderSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A kind's own value of a shared setting ({@code image.learning.rate}), and which value wins. */
class PerKindSettingsTest {
    /** A kind that ships its own learning rate; it is never configured here. */
    private static final KindDefinition TUNED = KindDefinition.builder("tuned")
            .ownDefault(Settings.LEARNING_RATE, "0.01")
            .configure(s -> {
                throw new UnsupportedOperationException("only its settings are read");
            })
            .build();
    private static final KindRegistry REGISTRY = KindRegistry.standard().toBuilder().add(TUNED).build();

    private static Settings load(Map<String, String> flags) {
        return REGISTRY.loadSettings(null, Map.of(), flags);
    }

    @Test
    void shouldReplaySentencesMoreOftenOnOneLibtorchThreadAndLeaveTheOtherKindsAtTheSharedValues() {
        Settings s = load(Map.of());
        assertThat(s.forKind("sentence").get(Settings.REPLAY_UPDATES)).isEqualTo(15);
        assertThat(s.forKind("sentence").get(Settings.TRAINER_THREADS)).isEqualTo(1);
        assertThat(s.forKind("image").get(Settings.REPLAY_UPDATES)).isEqualTo(10);
        assertThat(s.forKind("image").get(Settings.TRAINER_THREADS)).isZero();
        assertThat(s.forKind("sentence").get(Settings.SNAPSHOT_EVERY)).isEqualTo(100);
        assertThat(s.forKind("image").get(Settings.SNAPSHOT_EVERY)).isEqualTo(50);
        assertThat(load(Map.of("replay.updates-per-item", "5")).forKind("sentence").get(Settings.REPLAY_UPDATES))
                .as("a shared value the user set wins over the kind's default").isEqualTo(5);
    }

    @Test
    void shouldPublishTheSentenceEncodersAverageAndLearnItsTableFasterAndLeaveTheOtherKindsAtTheSharedValues() {
        Settings s = load(Map.of());
        assertThat(s.forKind("sentence").get(Settings.SNAPSHOT_ENCODER)).isEqualTo("momentum");
        assertThat(s.forKind("sentence").get(Settings.LEARNING_RATE_TABLE_FACTOR)).isEqualTo(3f);
        assertThat(s.forKind("image").get(Settings.SNAPSHOT_ENCODER)).isEqualTo("query");
        assertThat(s.forKind("event").get(Settings.LEARNING_RATE_TABLE_FACTOR)).isEqualTo(1f);
    }

    @Test
    void shouldLetAKindsOwnDefaultGiveWayWhereItWouldBreakARuleWithWhatTheUserSet() {
        // siamese keeps no average: sentences then publish f_q instead of refusing to start
        Settings siamese = load(Map.of("sentence.method", "siamese")).forKind("sentence");
        assertThat(siamese.get(Settings.METHOD)).isEqualTo("siamese");
        assertThat(siamese.get(Settings.SNAPSHOT_ENCODER)).isEqualTo("query");
        assertThat(siamese.get(Settings.LEARNING_RATE_TABLE_FACTOR)).as("the other own defaults stay").isEqualTo(3f);
        assertThat(siamese.get(Settings.REPLAY_UPDATES)).isEqualTo(15);
        // a value the user set never gives way
        assertThatThrownBy(() -> load(Map.of("sentence.method", "siamese", "sentence.snapshot.encoder", "momentum")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("for kind sentence: snapshot.encoder=momentum is for methods moco and simclr");
    }

    @Test
    void shouldGiveEveryKindTheSharedValueWhenItHasNoneOfItsOwn() {
        Settings s = load(Map.of("learning.rate", "0.002"));
        assertThat(s.forKind("image").get(Settings.LEARNING_RATE)).isEqualTo(0.002f);
        assertThat(s.forKind("sentence").get(Settings.LEARNING_RATE)).isEqualTo(0.002f);
    }

    @Test
    void shouldGiveOnlyThatKindAValueSetForIt() {
        Settings s = load(Map.of("image.learning.rate", "0.001", "sentence.batch.size", "64"));
        assertThat(s.forKind("image").get(Settings.LEARNING_RATE)).isEqualTo(0.001f);
        assertThat(s.forKind("image").get(Settings.BATCH_SIZE)).isEqualTo(256);
        assertThat(s.forKind("sentence").get(Settings.LEARNING_RATE)).isEqualTo(0.003f);
        assertThat(s.forKind("sentence").get(Settings.BATCH_SIZE)).isEqualTo(64);
        assertThat(s.get(Settings.LEARNING_RATE)).isEqualTo(0.003f);
    }

    @Test
    void shouldLetASetSharedValueWinOverAKindsOwnDefaultButNotOverAValueSetForTheKind() {
        assertThat(load(Map.of()).forKind("tuned").get(Settings.LEARNING_RATE)).isEqualTo(0.01f);
        assertThat(load(Map.of("learning.rate", "0.002")).forKind("tuned").get(Settings.LEARNING_RATE))
                .isEqualTo(0.002f);
        assertThat(load(Map.of("learning.rate", "0.002", "tuned.learning.rate", "0.005")).forKind("tuned")
                .get(Settings.LEARNING_RATE)).isEqualTo(0.005f);
    }

    @Test
    void shouldGiveTheSameValuesWhenAppliedTwiceOrToACopy() {
        Settings tuned = load(Map.of()).forKind("tuned");
        assertThat(tuned.forKind("tuned").get(Settings.LEARNING_RATE)).isEqualTo(0.01f);
        assertThat(load(Map.of()).with(Map.of("seed", "7")).forKind("tuned").get(Settings.LEARNING_RATE))
                .isEqualTo(0.01f);
    }

    @Test
    void shouldRefuseAKindsValueTheSharedSettingWouldRefuseAndSayWhy() {
        assertThatThrownBy(() -> load(Map.of("image.batch.size", "1", "event.method", "byol")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("image.batch.size = '1' (from flag) is invalid: must be empty, or in [2, 65536]")
                .hasMessageContaining("event.method = 'byol' (from flag) is invalid: must be empty, or one of"
                        + " moco|simclr|siamese");
    }

    @Test
    void shouldCheckTheRulesWithEachKindsOwnValuesAtStart() {
        assertThatThrownBy(() -> load(Map.of("sentence.batch.size", "8192")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("for kind sentence: replay.capacity (4096) must be >= batch.size (8192)");
    }

    @Test
    void shouldRefuseToPublishAMomentumEncoderForAKindWhoseMethodHasNone() {
        assertThat(load(Map.of("snapshot.encoder", "momentum", "sentence.method", "moco")).forKind("image")
                .get(Settings.SNAPSHOT_ENCODER)).isEqualTo("momentum");
        // sentences learn by simclr unless told otherwise, which keeps an average to publish
        assertThat(load(Map.of("snapshot.encoder", "momentum")).forKind("sentence").get(Settings.SNAPSHOT_ENCODER))
                .isEqualTo("momentum");
        assertThatThrownBy(() -> load(Map.of("snapshot.encoder", "momentum", "sentence.method", "siamese")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("for kind sentence: snapshot.encoder=momentum is for methods moco and simclr"
                        + " (siamese keeps no momentum encoder)");
        assertThat(load(Map.of("snapshot.encoder", "momentum", "sentence.method", "siamese",
                "sentence.snapshot.encoder", "query"))
                .forKind("sentence").get(Settings.METHOD)).isEqualTo("siamese");
    }

    @Test
    void shouldBuildTheKindsEncoderWithItsOwnEmbeddingSize() {
        Settings s = load(Map.of("event.embedding.dim", "48", "kinds", "image,event"));
        ItemKind<?> events = REGISTRY.enabled(s).all().stream().filter(k -> k.name().equals(EventKind.NAME))
                .findFirst().orElseThrow();
        assertThat(((EventEncoderSpec) events.encoderSpec()).embeddingDim()).isEqualTo(48);
        ItemKind<?> images = REGISTRY.enabled(s).all().get(0);
        assertThat(images.encoderSpec().config()).containsEntry("embedding_dim", "256");
    }
}
