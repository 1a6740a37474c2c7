package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.streamcl.schema.serde.ChunkedBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Every method and similarity trains (finite loss, weights move); snapshots embed exactly like their source. */
class ContrastiveTrainerTest {
    private static final ImageCnnSpec TINY = new ImageCnnSpec(1, 8, new int[] {4}, 8, 4);

    @ParameterizedTest
    @EnumSource(TrainerConfig.Method.class)
    void shouldTrainWithEveryMethodAndSimilarity(TrainerConfig.Method method) {
        for (Similarity similarity : Similarity.values()) {
            TrainerConfig config = new TrainerConfig(method, similarity, 0.2f, 1f, 0.9f, 16, 0.01f, 1);
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
                byte[] before = trainer.saveParameters();
                Random random = new Random(5);
                for (int step = 1; step <= 6; step++) {
                    StepResult r = trainer.step(views(8, random), views(8, random), ids(8, step));
                    assertThat(r.loss()).as(method + "/" + similarity).isFinite();
                    assertThat(r.step()).isEqualTo(step);
                    assertThat(r.batchSize()).isEqualTo(8);
                }
                assertThat(trainer.saveParameters()).as("weights moved").isNotEqualTo(before);
            }
        }
    }

    /** The table of a text encoder's parameters, (vocab, tokenDim) rows. */
    private static float[][] table(TextEncoderSpec spec, byte[] parameters) {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            ContrastiveEncoder encoder = spec.newEncoder();
            encoder.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, spec.inputShape(1));
            ContrastiveTrainer.loadInto(encoder, m, parameters);
            float[] flat = encoder.getParameters().stream().filter(p -> p.getKey().endsWith("table")).findFirst()
                    .orElseThrow().getValue()
                    .getArray().toFloatArray();
            float[][] rows = new float[spec.vocabSize()][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = java.util.Arrays.copyOfRange(flat, r * spec.tokenDim(), (r + 1) * spec.tokenDim());
            }
            return rows;
        }
    }

    @ParameterizedTest
    @EnumSource(TrainerConfig.Method.class)
    void aTextEncodersStepMovesTheTableRowsItsBatchReadAndNoOther(TrainerConfig.Method method) {
        for (String norm : TextEncoderSpec.NORMS) { // the layer norm between the bag and the MLP too
            aTextEncodersStepMovesTheTableRowsItsBatchReadAndNoOther(method,
                    new TextEncoderSpec(64, 6, 4, 0f, 8, 4, "unit", norm));
        }
    }

    private static void aTextEncodersStepMovesTheTableRowsItsBatchReadAndNoOther(TrainerConfig.Method method,
            TextEncoderSpec spec) {
        // siamese: a margin beyond any distance of unit vectors (2), so that every negative pair has a gradient; at 1
        // a spread-out encoder (the layer norm) leaves some pairs past the margin, and rows read only by those rightly
        // stay where they are
        TrainerConfig config = new TrainerConfig(method, Similarity.COSINE, 0.2f, 4f, 0.9f, 16, 0.01f, 1);
        Random random = new Random(13);
        List<float[]> first = new java.util.ArrayList<>();
        List<float[]> second = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) { // ids 1..31 only, some padding; both views read the same ids (moco: f_q sees one)
            float[] ids = {1 + random.nextInt(31), 1 + random.nextInt(31), 1 + random.nextInt(31), 0, 0, 0};
            first.add(ids);
            second.add(new float[] {ids[2], ids[0], ids[1], 0, 0, 0});
        }
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(spec, config, Device.cpu(), null, 0)) {
            float[][] before = table(spec, trainer.saveParameters());
            assertThat(trainer.step(first, second, ids(8, 1)).loss()).isFinite();
            float[][] after = table(spec, trainer.saveParameters());
            java.util.Set<Integer> read = new java.util.HashSet<>();
            for (List<float[]> views : List.of(first, second)) {
                views.forEach(v -> {
                    for (float id : v) {
                        read.add((int) id);
                    }
                });
            }
            for (int r = 1; r < spec.vocabSize(); r++) {
                if (read.contains(r)) {
                    assertThat(after[r]).as("%s: row %d, read", spec.norm(), r).isNotEqualTo(before[r]);
                } else {
                    assertThat(after[r]).as("%s: row %d, never read", spec.norm(), r).isEqualTo(before[r]);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TrainerConfig.Method.class)
    void aBatchNormEncoderShouldTrainAndEmbedAnItemAloneAsInABatch(TrainerConfig.Method method) {
        ImageCnnSpec spec = new ImageCnnSpec(1, 8, new int[] {4, 8}, 8, 4, ImageCnnSpec.BATCH_NORM);
        TrainerConfig config = new TrainerConfig(method, Similarity.COSINE, 0.2f, 1f, 0.9f, 16, 0.01f, 1);
        Random random = new Random(11);
        List<float[]> probe = views(4, random);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(spec, config, Device.cpu(), null, 0)) {
            byte[] before = trainer.saveParameters();
            for (int step = 1; step <= 4; step++) {
                assertThat(trainer.step(views(8, random), views(8, random), ids(8, step)).loss()).isFinite();
            }
            assertThat(trainer.saveParameters()).as("weights and running statistics moved").isNotEqualTo(before);
            try (Embedder e = new Embedder(spec, trainer.saveParameters(), Device.cpu())) {
                float[][] together = e.embed(probe);
                for (int i = 0; i < probe.size(); i++) { // running statistics: no item depends on its batch
                    assertThat(e.embed(List.of(probe.get(i)))[0]).containsExactly(together[i],
                            org.assertj.core.data.Offset.offset(1e-5f));
                }
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"MOCO, standardized", "SIMCLR, standardized", "SIAMESE, standardized",
        "MOCO, whitened", "SIMCLR, whitened"})
    void aStandardizedEmbeddingShouldCarryItsVersionsStatisticsAndCentreWhatItWasTrainedOn(TrainerConfig.Method method,
            String embedding) {
        ImageCnnSpec standardized = new ImageCnnSpec(1, 8, new int[] {4}, 8, 4, ImageCnnSpec.NO_NORM, embedding);
        TrainerConfig config = new TrainerConfig(method, Similarity.COSINE, 0.2f, 1f, 0.9f, 16, 0.01f, 1);
        Random random = new Random(13);
        List<float[]> items = views(64, random);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(standardized, config, Device.cpu(), null, 0)) {
            for (int step = 1; step <= 300; step++) { // the running statistics settle on these items' embeddings
                assertThat(trainer.step(items.subList(0, 16), items.subList(0, 16), ids(16, step)).loss()).isFinite();
                java.util.Collections.rotate(items, 16);
            }
            try (Embedder e = new Embedder(standardized, trainer.saveParameters(), Device.cpu())) {
                float[][] out = e.embed(items);
                double[] mean = new double[8];
                for (float[] row : out) {
                    double norm = 0;
                    for (int j = 0; j < row.length; j++) {
                        mean[j] += row[j] / out.length;
                        norm += row[j] * row[j];
                    }
                    assertThat(norm).as("published rows have unit length").isCloseTo(1, org.assertj.core.data.Offset.offset(1e-4));
                }
                for (double m : mean) { // unit rows of a centred set: no dimension shared by every item
                    assertThat(Math.abs(m)).isLessThan(0.25);
                }
                assertThat(e.embed(List.of(items.get(3)))[0]).as("an item embeds the same alone")
                        .containsExactly(out[3], org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void aSymmetricMocoLossShouldTrainBothDirectionsAndOnlyMocoShouldTakeIt() {
        TrainerConfig one = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 16, 0.01f,
                1);
        TrainerConfig both = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 16, 0.01f,
                1, LearningRateSchedule.CONSTANT, true);
        float[] losses = new float[2];
        for (int i = 0; i < 2; i++) {
            Random random = new Random(21);
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, i == 0 ? one : both, Device.cpu(), null,
                    0)) {
                for (int step = 1; step <= 3; step++) {
                    losses[i] = trainer.step(views(8, random), views(8, random), ids(8, step)).loss();
                    assertThat(losses[i]).isFinite();
                }
            }
        }
        assertThat(losses[1]).as("the second direction changes the loss").isNotEqualTo(losses[0]);
        assertThatThrownBy(() -> new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, 0.9f, 16,
                0.01f, 1, LearningRateSchedule.CONSTANT, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symmetric");
    }

    @Test
    void shouldPublishTheMomentumEncoderWhenAskedAndOnlyForMoco() {
        byte[][] published = new byte[4][];
        float[] momenta = {0.9f, 0.9f, 0f, 0f};
        TrainerConfig.Published[] which = {TrainerConfig.Published.QUERY, TrainerConfig.Published.MOMENTUM,
                TrainerConfig.Published.QUERY, TrainerConfig.Published.MOMENTUM};
        for (int i = 0; i < 4; i++) {
            TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, momenta[i],
                    16, 0.01f, 1, LearningRateSchedule.CONSTANT, false, which[i]);
            Random random = new Random(31);
            try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
                byte[] start = trainer.saveParameters();
                for (int step = 1; step <= 3; step++) {
                    trainer.step(views(8, random), views(8, random), ids(8, step));
                }
                published[i] = trainer.saveParameters();
                assertThat(published[i]).as("moved from the common start").isNotEqualTo(start);
            }
        }
        assertThat(published[1]).as("the average lags the query encoder").isNotEqualTo(published[0]);
        // with m = 0 the key encoder is a copy of the query encoder after every step: the same training, same bytes
        try (Embedder q = new Embedder(TINY, published[2], Device.cpu());
                Embedder k = new Embedder(TINY, published[3], Device.cpu())) {
            List<float[]> probe = views(3, new Random(2));
            assertThat(k.embed(probe)).isDeepEqualTo(q.embed(probe));
        }
        assertThatThrownBy(() -> new TrainerConfig(TrainerConfig.Method.SIAMESE, Similarity.COSINE, 0.2f, 1f, 0.9f,
                16, 0.01f, 1, LearningRateSchedule.CONSTANT, false, TrainerConfig.Published.MOMENTUM))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only moco and simclr keep a momentum");
    }

    @Test
    void shouldPublishSimClrsAverageAndCarryItThroughACheckpoint() {
        // a text encoder: its dropout draws from the engine's generator at every step, so a draw the average made
        // would change how f_q trains
        TextEncoderSpec text = new TextEncoderSpec(64, 6, 4, 0.5f, 8, 4, EmbeddingStandardizer.UNIT,
                TextEncoderSpec.LAYER_NORM);
        TrainerConfig averaging = new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, 0.9f, 16,
                0.01f, 1, LearningRateSchedule.CONSTANT, false, TrainerConfig.Published.MOMENTUM);
        TrainerConfig plain = new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, 0.9f, 16,
                0.01f, 1, LearningRateSchedule.CONSTANT, false, TrainerConfig.Published.QUERY);
        Random random = new Random(5);
        List<List<float[]>> views = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            views.add(featureIds(8, text, random));
        }
        byte[] average;
        ChunkedBytes checkpoint;
        byte[] query;
        // one after the other: two trainers stepping in turn would take turns at the generator's dropout masks
        try (ContrastiveTrainer a = new ContrastiveTrainer(text, averaging, Device.cpu(), null, 0)) {
            for (int step = 1; step <= 3; step++) {
                a.step(views.get(2 * step - 2), views.get(2 * step - 1), ids(8, step));
            }
            average = a.saveParameters();
            checkpoint = a.checkpoint();
        }
        try (ContrastiveTrainer q = new ContrastiveTrainer(text, plain, Device.cpu(), null, 0)) {
            for (int step = 1; step <= 3; step++) {
                q.step(views.get(2 * step - 2), views.get(2 * step - 1), ids(8, step));
            }
            query = q.saveParameters();
        }
        try (ContrastiveTrainer restored = ContrastiveTrainer.fromCheckpoint(text, averaging, Device.cpu(), checkpoint)) {
            assertThat(restored.saveParameters()).as("the average comes back with the checkpoint").isEqualTo(average);
        }
        // read with snapshot.encoder=query, the same checkpoint publishes its f_q: the average is dropped
        try (ContrastiveTrainer restored = ContrastiveTrainer.fromCheckpoint(text, plain, Device.cpu(), checkpoint)) {
            byte[] restoredQuery = restored.saveParameters();
            assertThat(restoredQuery).as("the average lags the query encoder").isNotEqualTo(average);
            assertThat(restoredQuery).as("keeping an average does not change how f_q trains").isEqualTo(query);
        }
    }

    /** Rows of hashed feature ids in [1, vocab), as a text encoder reads them. */
    static List<float[]> featureIds(int n, TextEncoderSpec spec, Random random) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] row = new float[spec.inputSize()];
            for (int j = 0; j < row.length; j++) {
                row[j] = 1 + random.nextInt(spec.vocabSize() - 1);
            }
            out.add(row);
        }
        return out;
    }

    @Test
    void shouldEmbedFromSnapshotBytesExactlyAsAFreshEmbedderDoes() {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.99f, 16,
                0.01f, 1);
        Random random = new Random(9);
        List<float[]> probe = views(5, random);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            trainer.step(views(8, random), views(8, random), ids(8, 0));
            byte[] snapshot = trainer.saveParameters();
            float[][] a;
            try (Embedder e = new Embedder(TINY, snapshot, Device.cpu())) {
                a = e.embed(probe);
            }
            try (Embedder e = new Embedder(TINY, snapshot, Device.cpu())) {
                assertThat(e.embed(probe)).isDeepEqualTo(a);
            }
            for (float[] row : a) {
                double norm = 0;
                for (float v : row) {
                    norm += v * v;
                }
                assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
            // a trainer resumed from the snapshot starts from the same weights and step count
            try (ContrastiveTrainer resumed = new ContrastiveTrainer(TINY, config, Device.cpu(), snapshot, 1)) {
                assertThat(resumed.saveParameters()).isEqualTo(snapshot);
                assertThat(resumed.steps()).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TrainerConfig.Method.class)
    void aTrainerRestoredFromACheckpointShouldGoOnExactlyAsTheOriginal(TrainerConfig.Method method) {
        TrainerConfig config = new TrainerConfig(method, Similarity.COSINE, 0.2f, 1f, 0.9f, 12, 0.01f, 1);
        Random random = new Random(3);
        List<List<float[]>> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batches.add(views(6, random));
        }
        ChunkedBytes checkpoint;
        byte[] continued;
        float[] continuedLosses = new float[2];
        try (ContrastiveTrainer original = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            for (int step = 0; step < 3; step++) { // the bank (12 keys) wraps: ring position matters
                original.step(batches.get(2 * step), batches.get(2 * step + 1), ids(6, step));
            }
            checkpoint = original.checkpoint();
            for (int step = 3; step < 5; step++) {
                continuedLosses[step - 3] = original.step(batches.get(2 * step), batches.get(2 * step + 1),
                        ids(6, step)).loss();
            }
            continued = original.saveParameters();
        }
        try (ContrastiveTrainer restored = ContrastiveTrainer.fromCheckpoint(TINY, config, Device.cpu(), checkpoint)) {
            assertThat(restored.steps()).isEqualTo(3);
            for (int step = 3; step < 5; step++) {
                StepResult r = restored.step(batches.get(2 * step), batches.get(2 * step + 1), ids(6, step));
                assertThat(r.loss()).as("loss at step %d", step + 1).isEqualTo(continuedLosses[step - 3]);
                assertThat(r.step()).isEqualTo(step + 1);
            }
            assertThat(restored.saveParameters()).as("parameters after the same steps").isEqualTo(continued);
        }
    }

    @Test
    void aSnapshotAloneShouldNotRestoreTheOptimizer() {
        // the contrast that makes the test above meaningful: parameters alone do not give the same steps
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 12,
                0.01f, 1);
        Random random = new Random(3);
        List<float[]> a = views(6, random);
        List<float[]> b = views(6, random);
        try (ContrastiveTrainer original = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            original.step(a, b, ids(6, 0));
            try (ContrastiveTrainer fromParameters = new ContrastiveTrainer(TINY, config, Device.cpu(),
                    original.saveParameters(), 1)) {
                original.step(b, a, ids(6, 1));
                fromParameters.step(b, a, ids(6, 1));
                assertThat(fromParameters.saveParameters()).isNotEqualTo(original.saveParameters());
            }
        }
    }

    @Test
    void shouldRefuseBytesThatAreNotACheckpoint() {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 12,
                0.01f, 1);
        assertThatThrownBy(() -> ContrastiveTrainer.fromCheckpoint(TINY, config, Device.cpu(),
                ChunkedBytes.of(List.of(new byte[] {1, 2, 3, 4}))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a readable TrainerCheckpoint");
    }

    @Test
    void shouldRefuseTheCheckpointOfAnotherMethodOrBankSize() {
        TrainerConfig moco = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 12,
                0.01f, 1);
        ChunkedBytes checkpoint;
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, moco, Device.cpu(), null, 0)) {
            checkpoint = trainer.checkpoint();
        }
        TrainerConfig simclr = new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, 0.9f, 12,
                0.01f, 1);
        assertThatThrownBy(() -> ContrastiveTrainer.fromCheckpoint(TINY, simclr, Device.cpu(), checkpoint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MOCO");
        TrainerConfig biggerBank = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f,
                16, 0.01f, 1);
        assertThatThrownBy(() -> ContrastiveTrainer.fromCheckpoint(TINY, biggerBank, Device.cpu(), checkpoint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity 12");
    }

    @Test
    void shouldRefuseABatchWithoutNegatives() {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.COSINE, 0.2f, 1f, 0.99f, 0,
                0.01f, 1);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            Random random = new Random(1);
            assertThatThrownBy(() -> trainer.step(views(1, random), views(1, random), new long[] {1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("B >= 2");
        }
    }

    @Test
    void theSameSeedShouldGiveTheSameInitialWeightsWhileEmbeddersStartOnOtherThreads() throws Exception {
        // the engine has one random generator: an embedder initialising its blocks on another thread must not
        // draw from it between a trainer's seeding and its initialisation (version 0 would then vary by run)
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.99f, 16,
                0.01f, 7);
        byte[] first;
        try (ContrastiveTrainer t = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            first = t.saveParameters();
        }
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread embedders = new Thread(() -> {
            while (!stop.get()) {
                new Embedder(TINY, first, Device.cpu()).close();
            }
        });
        embedders.start();
        try {
            for (int i = 0; i < 20; i++) {
                try (ContrastiveTrainer t = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
                    assertThat(t.saveParameters()).as("trainer %d", i).isEqualTo(first);
                }
            }
        } finally {
            stop.set(true);
            embedders.join();
        }
    }

    @ParameterizedTest
    @EnumSource(TrainerConfig.Method.class)
    void aStepWithANonFiniteLossShouldChangeNothing(TrainerConfig.Method method) {
        TrainerConfig config = new TrainerConfig(method, Similarity.COSINE, 0.2f, 1f, 0.9f, 16, 0.01f, 1);
        Random random = new Random(11);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            trainer.step(views(8, random), views(8, random), ids(8, 1));
            byte[] before = trainer.checkpoint().toArray();
            StepResult r = trainer.step(poisoned(views(8, random)), views(8, random), ids(8, 2));
            assertThat(r.outcome()).isEqualTo(StepResult.Outcome.DISCARDED);
            assertThat(r.step()).isEqualTo(1);
            assertThat(trainer.parametersFinite()).isTrue();
            assertThat(trainer.checkpoint().toArray()).as("parameters, optimizer and bank as before").isEqualTo(before);
            assertThat(trainer.step(views(8, random), views(8, random), ids(8, 3)).applied()).isTrue();
        }
    }

    @Test
    void aTrainerDiscardingStepAfterStepShouldGoBackToItsLastCheckpointAndSaySo() {
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.MOCO, Similarity.COSINE, 0.2f, 1f, 0.9f, 16,
                0.01f, 1);
        Random random = new Random(12);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            trainer.step(views(8, random), views(8, random), ids(8, 1));
            byte[] checkpoint = trainer.checkpoint().toArray();
            trainer.step(views(8, random), views(8, random), ids(8, 2)); // moves on past the checkpoint
            List<StepResult.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < ContrastiveTrainer.MAX_DISCARDED_IN_A_ROW; i++) {
                outcomes.add(trainer.step(poisoned(views(8, random)), views(8, random), ids(8, 3)).outcome());
            }
            assertThat(outcomes).containsExactly(StepResult.Outcome.DISCARDED, StepResult.Outcome.DISCARDED,
                    StepResult.Outcome.RESTORED);
            assertThat(trainer.steps()).isEqualTo(1);
            assertThat(trainer.checkpoint().toArray()).isEqualTo(checkpoint);
            StepResult next = trainer.step(views(8, random), views(8, random), ids(8, 4));
            assertThat(next.applied()).isTrue();
            assertThat(next.loss()).isFinite();
            assertThat(next.step()).isEqualTo(2);
        }
    }

    @Test
    void aTrainerThatDivergesShouldGoBackToItsFirstStateWhenItNeverCheckpointed() {
        // a learning rate of 3e38 sends the parameters to the edge of float's range in one update: the update
        // overflows at once, or the next losses are not finite
        TrainerConfig config = new TrainerConfig(TrainerConfig.Method.SIMCLR, Similarity.DOT, 0.2f, 1f, 0.9f, 0,
                3e38f, 1);
        Random random = new Random(13);
        try (ContrastiveTrainer trainer = new ContrastiveTrainer(TINY, config, Device.cpu(), null, 0)) {
            byte[] first = trainer.saveParameters();
            List<StepResult.Outcome> outcomes = new ArrayList<>();
            for (int i = 0; i < 1 + ContrastiveTrainer.MAX_DISCARDED_IN_A_ROW
                    && !outcomes.contains(StepResult.Outcome.RESTORED); i++) {
                outcomes.add(trainer.step(views(8, random), views(8, random), ids(8, i)).outcome());
            }
            assertThat(outcomes).contains(StepResult.Outcome.RESTORED);
            assertThat(trainer.parametersFinite()).isTrue();
            assertThat(trainer.saveParameters()).isEqualTo(first);
            assertThat(trainer.steps()).isZero();
        }
    }

    private static List<float[]> poisoned(List<float[]> views) {
        views.get(0)[0] = Float.NaN;
        return views;
    }

    private static List<float[]> views(int n, Random random) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[TINY.inputSize()];
            for (int j = 0; j < v.length; j++) {
                v[j] = random.nextFloat();
            }
            out.add(v);
        }
        return out;
    }

    private static long[] ids(int n, int salt) {
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i + 1000L * salt);
        return ids;
    }
}
