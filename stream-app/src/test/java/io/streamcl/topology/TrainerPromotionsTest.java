package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trainer's candidate through refusals, restarts and pins: whatever passed the gate and is newer than what the
 * gate serves is promoted in the end, so that a feed waiting for the newest version that passed converges.
 */
class TrainerPromotionsTest {
    private static final String KIND = "image";
    private static final long T0 = 1_700_000_000_000L;
    /** No interval and no wait for backfills: the policy promotes at once, unless a version is pinned. */
    private static final PromotionPolicy.Plan AT_ONCE = new PromotionPolicy.Plan(0.1f, Duration.ZERO, Duration.ZERO);

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private KeyValueStore<String, byte[]> checkpoints;
    private KeyValueStore<String, ModelSnapshot> models;
    private KeyValueStore<String, EmbeddingStatus> statuses;

    @BeforeEach
    void stores() {
        checkpoints = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("checkpoints"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build());
        models = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("models"), Serdes.String(),
                AvroSerde.of(ModelSnapshot.class)).withLoggingDisabled().build());
        statuses = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("statuses"), Serdes.String(),
                AvroSerde.of(EmbeddingStatus.class)).withLoggingDisabled().build());
    }

    @Test
    void aCandidateRefusedPastShouldBeKeptOverARestartAndPromoted() {
        TrainerPromotions before = started(null);
        serve(before, publish(before, 0, true));
        ModelSnapshot v1 = publish(before, 1, true);
        ModelSnapshot v2 = publish(before, 2, false); // refused: v1 stays the candidate, kept for a restart

        TrainerPromotions after = started(v2); // the models store holds v2 alone under the kind's key
        assertThat(after.promotion(T0).map(ModelSnapshot::getVersion)).contains(v1.getVersion());
        assertThat(new WaitingCandidate(checkpoints, KIND).restore()).as("promoted: no longer kept").isEmpty();
    }

    @Test
    void aNewerSnapshotThatPassesShouldReplaceTheKeptCandidate() {
        TrainerPromotions trainer = started(null);
        serve(trainer, publish(trainer, 0, true));
        publish(trainer, 1, true);
        publish(trainer, 2, false);
        assertThat(new WaitingCandidate(checkpoints, KIND).restore()).map(ModelSnapshot::getVersion).contains(1L);
        ModelSnapshot v3 = publish(trainer, 3, true);

        assertThat(new WaitingCandidate(checkpoints, KIND).restore()).as("v3 is the newest: nothing waits behind it")
                .isEmpty();
        assertThat(trainer.promotion(T0).map(ModelSnapshot::getVersion)).contains(v3.getVersion());
    }

    @Test
    void aCandidateHeldBackByAPinShouldBePromotedOnceServingIsHandedBack() {
        TrainerPromotions trainer = started(null);
        serve(trainer, publish(trainer, 0, true));
        publish(trainer, 1, true);
        models.put(ModelSnapshots.pinnedKey(KIND), ModelSnapshots.promoted(snapshot(5, true), "manual", "a rollback",
                Instant.ofEpochMilli(T0)));
        assertThat(trainer.promotion(T0)).as("pinned: the gate promotes nothing").isEmpty();
        assertThat(trainer.served().getVersion()).isEqualTo(5);

        models.delete(ModelSnapshots.pinnedKey(KIND)); // promote --auto
        assertThat(trainer.served().getVersion()).isZero();
        assertThat(trainer.promotion(T0).map(ModelSnapshot::getVersion)).as("v1 passed, and is newer than v0")
                .contains(1L);
    }

    private TrainerPromotions started(ModelSnapshot newest) {
        if (newest != null) {
            models.put(KIND, newest);
        }
        TrainerPromotions t = new TrainerPromotions(KIND, AT_ONCE, models, statuses, checkpoints);
        t.restore(newest);
        return t;
    }

    /** Publishes a snapshot with the gate's verdict, as the trainer does. */
    private ModelSnapshot publish(TrainerPromotions trainer, long version, boolean passed) {
        ModelSnapshot s = snapshot(version, passed);
        models.put(KIND, s);
        trainer.published(s, false);
        return s;
    }

    /** Promotes the candidate, which must be this snapshot, and lets the global store read it back. */
    private void serve(TrainerPromotions trainer, ModelSnapshot s) {
        Optional<ModelSnapshot> promoted = trainer.promotion(T0);
        assertThat(promoted.map(ModelSnapshot::getVersion)).contains(s.getVersion());
        models.put(ModelSnapshots.servedKey(KIND), promoted.get());
    }

    private static ModelSnapshot snapshot(long version, boolean passed) {
        return ModelSnapshot.newBuilder(ModelSnapshots.of(KIND, "image-moco", version, version * 10, Map.of(),
                new byte[] {1, 2, 3}, Map.of())).setGate(passed ? "passed" : "refused: a test's verdict").build();
    }

    private <S extends StateStore> S add(S store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
