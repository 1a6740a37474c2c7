package io.streamcl.kind;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.streamcl.augment.Augmenter;
import io.streamcl.config.Setting;
import io.streamcl.config.SettingGroup;
import io.streamcl.config.Settings;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.SentenceItems;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import io.streamcl.testing.DrivenTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kind the app does not ship, registered from outside: points in R^d, sent as the text of a SentenceItem that
 * names its kind in an attribute (RawItem's payload is a closed union). Nothing of the main code changes for it:
 * it brings its settings, is enabled by the {@code kinds} setting, and goes through the real topology.
 */
class FourthKindTest {
    static final Setting<Integer> POINT_DIM = Setting.intSetting("point.dim", 4, 1, 64, "coordinates per point");
    static final Setting<Float> POINT_NOISE = Setting.fractionSetting("point.noise", 0.1f,
            "std of the gaussian noise that makes a view");
    static final KindDefinition POINT = KindDefinition.builder(PointKind.NAME)
            .settings(SettingGroup.of(POINT_DIM, POINT_NOISE))
            .configure(PointKind::new)
            .build();

    private static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"), Map.entry("replay.updates-per-item", "2"),
            Map.entry("bank.size", "16"), Map.entry("snapshot.every-steps", "2"), Map.entry("embed.batch.size", "3"),
            Map.entry("embedding.dim", "16"), Map.entry("projection.dim", "8"), Map.entry("batch.linger.ms", "200"),
            Map.entry("device", "cpu"), Map.entry("kinds", "image,point"), Map.entry("point.dim", "3"));

    @TempDir
    Path stateDir;

    private final KindRegistry registry = KindRegistry.standard().toBuilder().add(POINT).build();
    private DrivenTopology topology;

    @BeforeEach
    void start() {
        Settings settings = registry.defaultSettings().with(SMALL);
        topology = new DrivenTopology(settings, registry.enabled(settings), stateDir);
    }

    @AfterEach
    void stop() {
        topology.close();
    }

    @Test
    void shouldListItsSettingsAfterTheStandardKindsAndEnableItByDefault() {
        List<String> names = registry.defaultSettings().all().stream().map(Setting::name).toList();
        assertThat(names.subList(names.size() - 14, names.size())).containsExactly("point.dim", "point.noise",
                "point.method", "point.batch.size", "point.temperature", "point.learning.rate", "point.embedding.dim",
                "point.replay.updates-per-item", "point.trainer.threads", "point.snapshot.every-steps",
                "point.promotion.tolerance", "point.snapshot.encoder", "point.momentum",
                "point.learning.rate.table-factor");
        assertThat(registry.defaultSettings().get(Settings.KINDS)).containsExactly("image", "sentence", "event", "point");
        assertThat(KindRegistry.standard().defaultSettings().all()).extracting(Setting::name).doesNotContain("point.dim");
    }

    @Test
    void shouldEmbedAndTrainPointsThroughTheTopology() {
        for (int i = 0; i < 8; i++) {
            topology.pipe(point("p-" + i, i + ", " + (i % 3) + ", -1.5"));
        }
        for (int t = 0; t < 10; t++) {
            topology.driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        Map<String, Embedding> out = topology.embeddings.readKeyValuesToMap();
        assertThat(out).hasSize(8);
        assertThat(out.values()).allSatisfy(e -> {
            assertThat(e.getKind()).isEqualTo("point");
            assertThat(e.getModel().getName()).isEqualTo("point-moco");
            assertThat(e.getDim()).isEqualTo(16);
        });
        List<ModelSnapshot> trained = awaitSnapshot(4);
        assertThat(trained).isNotEmpty();
        assertThat(trained.get(trained.size() - 1).getEncoderConfig()).containsEntry("type", PointSpec.TYPE)
                .containsEntry("dim", "3");
    }

    @Test
    void shouldSendABadPointAndAnUnclaimedSentenceToTheDeadLetterTopic() {
        topology.pipe(point("bad", "1, two, 3"));
        topology.pipe(SentenceItems.rawItem("plain", 5L, "sentences are not enabled here", Map.of()));
        List<DeadLetter> letters = topology.deadLetters.readValuesToList();
        assertThat(letters).hasSize(2);
        assertThat(letters.get(0).getReason()).contains("not a number");
        assertThat(letters.get(1).getReason()).contains("SentenceItem");
    }

    private List<ModelSnapshot> awaitSnapshot(long step) {
        List<ModelSnapshot> snapshots = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (snapshots.stream().noneMatch(s -> s.getStep() >= step) && System.nanoTime() < deadline) {
            topology.driver.advanceWallClockTime(Duration.ofMillis(100));
            topology.models.readValuesToList().stream().filter(s -> s.getKind().equals(PointKind.NAME) && s.getPromotion() == null)
                    .forEach(snapshots::add);
        }
        return snapshots;
    }

    private static RawItem point(String id, String coordinates) {
        return SentenceItems.rawItem(id, 5L, coordinates, Map.of(ItemKind.KIND_ATTRIBUTE, PointKind.NAME));
    }

    /** A point is its coordinates; a view adds gaussian noise to them. */
    static final class PointKind implements StandaloneKind<float[]> {
        static final String NAME = "point";
        private final PointSpec spec;
        private final float noise;

        PointKind(Settings s) {
            this.spec = new PointSpec(s.get(POINT_DIM), s.get(Settings.EMBEDDING_DIM), s.get(Settings.PROJECTION_DIM));
            this.noise = s.get(POINT_NOISE);
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Class<?> payloadType() {
            return SentenceItem.class;
        }

        @Override
        public boolean takesUnnamed() {
            return false;
        }

        @Override
        public float[] decode(RawItem item) throws InvalidItemException {
            String[] parts = ((SentenceItem) item.getPayload()).getText().split(",");
            if (parts.length != spec.dim()) {
                throw new InvalidItemException("a point has " + spec.dim() + " coordinates, not " + parts.length);
            }
            float[] p = new float[parts.length];
            for (int i = 0; i < p.length; i++) {
                try {
                    p[i] = Float.parseFloat(parts[i].strip());
                } catch (NumberFormatException e) {
                    throw new InvalidItemException("coordinate " + i + " is not a number: " + parts[i].strip());
                }
            }
            return p;
        }

        @Override
        public float[] embeddingInput(float[] point) {
            return point.clone();
        }

        @Override
        public Augmenter<float[], float[]> augmenter() {
            return (point, rng) -> {
                float[] view = point.clone();
                for (int i = 0; i < view.length; i++) {
                    view[i] += (float) (rng.nextGaussian() * noise);
                }
                return view;
            };
        }

        @Override
        public EncoderSpec encoderSpec() {
            return spec;
        }

        @Override
        public EncoderSpec encoderSpec(Map<String, String> snapshotConfig) {
            return new PointSpec(Integer.parseInt(snapshotConfig.get("dim")),
                    Integer.parseInt(snapshotConfig.get("embedding_dim")),
                    Integer.parseInt(snapshotConfig.get("projection_dim")));
        }
    }

    /** A 2-layer MLP. Input: (B, dim). */
    record PointSpec(int dim, int embeddingDim, int projectionDim) implements EncoderSpec {
        static final String TYPE = "point-mlp";

        @Override
        public Map<String, String> config() {
            Map<String, String> c = new LinkedHashMap<>();
            c.put("type", TYPE);
            c.put("dim", Integer.toString(dim));
            c.put("embedding_dim", Integer.toString(embeddingDim));
            c.put("projection_dim", Integer.toString(projectionDim));
            return c;
        }

        @Override
        public int inputSize() {
            return dim;
        }

        @Override
        public Shape inputShape(int batch) {
            return new Shape(batch, dim);
        }

        @Override
        public Block newBackbone() {
            return new SequentialBlock()
                    .add(Linear.builder().setUnits(32).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(embeddingDim).build());
        }
    }
}
