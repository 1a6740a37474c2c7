package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.learn.ComputeDevice;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trainer alone, on a mock context whose clock and punctuation the test moves by hand, training in the
 * stream thread ({@link io.streamcl.learn.TrainingLoop#inCaller}): what it publishes is exact, and nothing
 * waits for a thread.
 */
class TrainerProcessorTest {
    private static final long T0 = 1_700_000_000_000L;
    /** batch.linger.ms of {@link LearnerTopologyTest#SMALL}. */
    private static final long LINGER_MS = 200;
    /** checkpoint.interval.ms, its default: catching up alone makes no checkpoint before it has passed. */
    private static final long CHECKPOINT_MS = 60_000;

    private final Settings settings = KindRegistry.standard().defaultSettings().with(LearnerTopologyTest.SMALL);
    private final ItemKind<?> image = ItemKinds.fromSettings(settings).byName("image").orElseThrow();
    private final MockProcessorContext<String, ModelSnapshot> context = new MockProcessorContext<>();
    private KeyValueStore<String, byte[]> checkpoints;
    private KeyValueStore<String, ModelSnapshot> models;
    private KeyValueStore<String, EmbeddingStatus> statuses;
    private TrainerProcessor<?> trainer;

    @BeforeEach
    void stores() {
        checkpoints = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                LearnerTopology.checkpointStore(image)), Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
        models = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LearnerTopology.MODELS_STORE),
                Serdes.String(), AvroSerde.of(ModelSnapshot.class)).withLoggingDisabled().build());
        statuses = add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LearnerTopology.STATUS_STORE),
                Serdes.String(), AvroSerde.of(EmbeddingStatus.class)).withLoggingDisabled().build());
        context.setCurrentSystemTimeMs(T0);
    }

    @AfterEach
    void close() {
        if (trainer != null) {
            trainer.close();
        }
    }

    @Test
    void shouldPublishV0ThenAVersionEveryTwoStepsAndTrainOnWhatIsLeftOnceTheLingerIsOver() {
        start();
        pipeImages(0, 24, new Random(3));
        // 24 items x 2 uses / batch 4 = 12 steps, a snapshot every 2. While items come the loop steps only on a
        // full replay buffer (8 items): 10 steps. A snapshot goes out with the next record or punctuation, so
        // the one the last item made (step 10) is still to come
        assertThat(snapshots()).extracting(ModelSnapshot::getStep).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(forwarded(ModelSnapshots.servedKey(image.name()))).extracting(ModelSnapshot::getVersion)
                .as("v0 served with the first item: nothing was served before").startsWith(0L);

        tick(LINGER_MS - 1);
        assertThat(snapshots()).extracting(ModelSnapshot::getStep).as("the last uses wait for the linger")
                .containsExactly(0L, 2L, 4L, 6L, 8L, 10L);

        tick(1);
        List<ModelSnapshot> all = snapshots();
        // the linger over, it trains on what is left (steps 11 and 12), publishes v6, then finds nothing left
        // and says so with v6 again, caught up, rather than a new version of the same parameters
        assertThat(all).extracting(ModelSnapshot::getVersion).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 6L);
        assertThat(all.get(6).getMetrics()).containsEntry("caught_up", 0.0);
        ModelSnapshot last = all.get(all.size() - 1);
        assertThat(last.getStep()).isEqualTo(12);
        assertThat(last.getMetrics()).containsEntry("caught_up", 1.0).containsEntry("pending_uses", 0.0)
                .containsEntry("items_seen", 24.0).containsEntry("items_offered", 24.0);

        tick(LINGER_MS * 10);
        assertThat(snapshots()).as("nothing new to say while no item comes").hasSize(all.size());
    }

    @Test
    void shouldGoOnFromItsCheckpointWithTheNextVersionAfterARestart() {
        List<ModelSnapshot> before = firstRunThenStop();
        assertThat(before.get(before.size() - 1).getVersion()).isEqualTo(6);
        // the models store is left empty, as when the global store has not read the topic back yet: the
        // checkpoint alone must say which version and step the trainer was at

        start();
        pipeImages(24, 8, new Random(4));
        tick(LINGER_MS);
        List<ModelSnapshot> after = snapshots();
        // no second v0: the checkpoint's trainer goes on from step 12, 8 items x 2 uses / 4 steps more
        assertThat(after).extracting(ModelSnapshot::getVersion).containsExactly(7L, 8L);
        assertThat(after).extracting(ModelSnapshot::getStep).containsExactly(14L, 16L);
        ModelSnapshot last = after.get(after.size() - 1);
        assertThat(last.getMetrics()).containsEntry("items_offered", 32.0).containsEntry("caught_up", 1.0);
    }

    @Test
    void shouldAccountAfterARestartForItemsOfferedAfterItsNewestSnapshot() {
        List<ModelSnapshot> before = firstRunThenStop();
        ModelSnapshot newest = before.get(before.size() - 1);
        assertThat(newest.getMetrics()).containsEntry("caught_up", 1.0).containsEntry("items_offered", 24.0);
        // killed after 8 more items were offered and committed, before a step made a snapshot of them: their uses
        // were lost with the replay buffer, and the newest snapshot, idle, still says 24
        models.put(image.name(), newest);
        checkpoints.put(image.name() + "/offered", java.nio.ByteBuffer.allocate(Long.BYTES).putLong(32).array());

        start();
        tick(LINGER_MS);
        tick(LINGER_MS);
        assertThat(snapshots()).as("a snapshot that counts every item offered, so that a feed waiting for it converges")
                .last().satisfies(s -> assertThat(s.getMetrics()).containsEntry("items_offered", 32.0)
                        .containsEntry("caught_up", 1.0));
    }

    @Test
    void shouldLearnAfterARestartFromTheItemsItsCheckpointHadNotLearnedFrom() {
        start();
        pipeImages(0, 24, new Random(3));
        tick(LINGER_MS); // caught up at step 12
        assertThat(new PendingItems(checkpoints, image.name()).all()).as("kept until a checkpoint has learned them")
                .hasSize(24);
        tick(CHECKPOINT_MS); // idle since: a checkpoint that owes nothing to the first 24
        pipeImages(24, 8, new Random(4));
        trainer.close(); // killed with 8 items committed as offered and held in the replay buffer alone
        context.resetForwards();
        assertThat(new PendingItems(checkpoints, image.name()).all()).extracting(PendingItems.Pending::seq)
                .as("kept, the first 24 forgotten").containsExactly(24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L);

        PipelineMetrics metrics = new PipelineMetrics();
        start(metrics);
        assertThat(metrics.itemsOfferedAgain(image.name())).isEqualTo(8);
        tick(LINGER_MS);
        tick(LINGER_MS);
        ModelSnapshot last = snapshots().get(snapshots().size() - 1);
        assertThat(last.getStep()).as("from the checkpoint's step 12, 8 items x 2 uses / batch 4 more").isEqualTo(16);
        assertThat(last.getMetrics()).containsEntry("items_offered", 32.0).containsEntry("caught_up", 1.0);
        tick(CHECKPOINT_MS);
        assertThat(new PendingItems(checkpoints, image.name()).all()).as("all learned and checkpointed").isEmpty();
    }

    @Test
    void shouldPromoteTheCaughtUpSnapshotOnlyOnceTheServedVersionIsCompleteOnEveryPartition() {
        start();
        pipeImages(0, 24, new Random(3));
        tick(LINGER_MS);
        tick(100);
        String served = ModelSnapshots.servedKey(image.name());
        assertThat(forwarded(served)).extracting(ModelSnapshot::getVersion).as("v6 waits for v0's backfill")
                .containsExactly(0L);

        markV0Complete();
        tick(100);
        List<ModelSnapshot> promotions = forwarded(served);
        assertThat(promotions).extracting(ModelSnapshot::getVersion).containsExactly(0L, 6L);
        assertThat(promotions.get(1).getPromotion().getMode()).as("made when the trainer went idle")
                .isEqualTo("idle");
        assertThat(promotions.get(1).getPromotion().getReason()).contains("v0 is complete on every partition");
    }

    @Test
    void shouldPromoteAfterARestartTheCandidateThatWaitedBehindARefusedSnapshot() {
        List<ModelSnapshot> before = firstRunThenStop();
        ModelSnapshot v5 = before.get(5);
        ModelSnapshot v6 = before.get(before.size() - 1);
        // what the topic held when the learner died: v0 served, v5 passed and waiting for v0's backfill, and the
        // newest, v6, refused; the models store keeps only v6, so v5 is known from the trainer's own store alone
        String served = ModelSnapshots.servedKey(image.name());
        models.put(served, ModelSnapshots.promoted(before.get(0), "auto", "first version",
                Instant.ofEpochMilli(context.currentSystemTimeMs())));
        models.put(image.name(), ModelSnapshot.newBuilder(v6).setGate("refused: a test's verdict").build());
        new WaitingCandidate(checkpoints, image.name()).keep(v5);

        start();
        markV0Complete();
        tick(100);
        assertThat(forwarded(served)).as("v5 was not made idle: it waits for promotion.interval.ms").isEmpty();
        tick(30_000);
        assertThat(forwarded(served)).extracting(ModelSnapshot::getVersion).containsExactly(5L);
        assertThat(new WaitingCandidate(checkpoints, image.name()).restore()).as("promoted: no longer kept").isEmpty();
    }

    /** What the embedders' completion marker, read back by the global store, says: v0 is on all 24 items. */
    private void markV0Complete() {
        statuses.put(EmbeddingStatuses.key(image.name(), 0), EmbeddingStatus.newBuilder().setKind(image.name())
                .setModelName("image-moco").setVersion(0).setPartition(0).setPartitions(1).setItems(24)
                .setTime(Instant.ofEpochMilli(context.currentSystemTimeMs())).build());
    }

    /**
     * 24 images learned to the end (v0 to v6, the last caught up) and, idle, checkpointed once the interval
     * passed; then the trainer stopped: what it published.
     */
    private List<ModelSnapshot> firstRunThenStop() {
        start();
        pipeImages(0, 24, new Random(3));
        tick(LINGER_MS);
        List<ModelSnapshot> published = snapshots();
        tick(CHECKPOINT_MS);
        assertThat(snapshots()).as("the checkpoint goes with no new record: v6 already said it was caught up")
                .hasSize(published.size());
        trainer.close();
        context.resetForwards();
        return published;
    }

    private void start() {
        start(new PipelineMetrics());
    }

    private void start(PipelineMetrics metrics) {
        trainer = new TrainerProcessor<>(image, LearnerTopology.plan(settings, image, ComputeDevice.cpu()), metrics,
                true);
        trainer.init(context);
    }

    private void pipeImages(int from, int n, Random random) {
        for (int i = from; i < from + n; i++) {
            RawItem item = LearnerTopologyTest.image("img-" + i, 12, 12, random);
            trainer.process(new Record<>(item.getId(), item, context.currentSystemTimeMs()));
        }
    }

    /** Moves the clock on and fires the trainer's punctuation, as the stream thread would. */
    private void tick(long millis) {
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + millis);
        assertThat(context.scheduledPunctuators()).isNotEmpty();
        MockProcessorContext.CapturedPunctuator p = context.scheduledPunctuators().get(
                context.scheduledPunctuators().size() - 1);
        p.getPunctuator().punctuate(context.currentSystemTimeMs());
    }

    /** The snapshots published so far under the kind's own key (not the promotions under @served). */
    private List<ModelSnapshot> snapshots() {
        return forwarded(image.name());
    }

    private List<ModelSnapshot> forwarded(String key) {
        return context.forwarded().stream().map(f -> f.record()).filter(r -> r.key().equals(key))
                .map(r -> (ModelSnapshot) r.value()).toList();
    }

    private <S extends StateStore> S add(S store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
