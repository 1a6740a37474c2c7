package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ItemKinds;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology driven without a broker: real Serdes, real training, the same topic names as production. */
class LearnerTopologyTest {
    /** A tiny but real configuration so a step takes milliseconds. */
    static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"), Map.entry("replay.updates-per-item", "2"),
            Map.entry("bank.size", "16"), Map.entry("snapshot.every-steps", "2"), Map.entry("embed.batch.size", "3"),
            Map.entry("image.size", "8"), Map.entry("image.conv-channels", "4"), Map.entry("embedding.dim", "16"),
            Map.entry("projection.dim", "8"), Map.entry("batch.linger.ms", "200"), Map.entry("device", "cpu"),
            Map.entry("sentence.vocab-size", "1024"), Map.entry("sentence.token-dim", "8"));

    @TempDir
    Path stateDir;

    private final AvroSerde<RawItem> rawSerde = AvroSerde.of(RawItem.class);
    private TopologyTestDriver driver;
    private PipelineMetrics metrics;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, Embedding> embeddings;
    private TestOutputTopic<String, ModelSnapshot> models;

    @BeforeEach
    void start() {
        Settings settings = Settings.defaults().with(SMALL);
        metrics = new PipelineMetrics();
        Properties props = LearnerApp.streamsConfig(settings);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(LearnerTopology.buildTopology(settings, ItemKinds.fromSettings(settings), metrics,
                Device.cpu()), props);
        Topics topics = Topics.from(settings);
        raw = driver.createInputTopic(topics.rawItems(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
        embeddings = driver.createOutputTopic(topics.embeddings(), new StringDeserializer(),
                AvroSerde.of(Embedding.class).deserializer());
        models = driver.createOutputTopic(topics.models(), new StringDeserializer(),
                AvroSerde.of(ModelSnapshot.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void shouldSendUndecodableRecordToDeadLetterTopic() {
        byte[] good = rawSerde.encode(image("ok", 10, 10, new Random(1)));
        raw.pipeInput(key("garbage"), "not avro at all".getBytes(StandardCharsets.UTF_8));
        raw.pipeInput(key("truncated"), Arrays.copyOf(good, 30));
        raw.pipeInput(key("tombstone"), (byte[]) null);
        raw.pipeInput(key("wrong-size"), rawSerde.encode(RawItems.image("wrong-size", 0L,
                RawItems.rawU8(10, 10, 1, new byte[99]))));
        raw.pipeInput(key("too-wide"), rawSerde.encode(RawItems.image("too-wide", 0L,
                RawItems.rawU8(5000, 1, 1, new byte[5000]))));
        raw.pipeInput(key("no-id"), rawSerde.encode(RawItems.image("", 0L, RawItems.rawU8(2, 2, 1, new byte[4]))));
        raw.pipeInput(key("sentence"), rawSerde.encode(RawItem.newBuilder().setId("sentence").setEventTime(Instant.EPOCH)
                .setPayload(SentenceItem.newBuilder().setText(" ... !").build()).build()));

        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(TestRecord::key).containsExactly(
                "garbage", "truncated", "tombstone", "wrong-size", "too-wide", "no-id", "sentence");
        assertThat(letters).extracting(r -> r.value().getStage()).containsExactly(
                "decode", "decode", "decode", "validate", "validate", "validate", "validate");
        assertThat(letters).allSatisfy(r -> {
            assertThat(r.value().getReason()).isNotBlank();
            assertThat(r.value().getSourceTopic()).isEqualTo("raw-items");
        });
        assertThat(letters.get(0).value().getSourceOffset()).isZero();
        assertThat(letters.get(6).value().getSourceOffset()).isEqualTo(6);
        assertThat(letters.get(3).value().getReason()).contains("99");
        assertThat(letters.get(1).value().getValue().remaining()).isEqualTo(30);
        assertThat(metrics.deadLetters()).isEqualTo(7);

        // the app kept running: a good record after all that still goes through
        raw.pipeInput(key("ok"), good);
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("ok");
    }

    @Test
    void shouldEmbedEveryGoodItemStampedWithTheModelVersion() {
        Random random = new Random(7);
        for (int i = 0; i < 7; i++) {
            RawItem item = image("img-" + i, 6 + i, 9, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        for (int t = 0; t < 10; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        Map<String, Embedding> out = embeddings.readKeyValuesToMap();
        assertThat(out).hasSize(7);
        out.forEach((id, e) -> {
            assertThat(e.getId()).isEqualTo(id);
            assertThat(e.getKind()).isEqualTo("image");
            assertThat(e.getDim()).isEqualTo(16).isEqualTo(e.getVector().size());
            double norm = e.getVector().stream().mapToDouble(v -> v * v).sum();
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(e.getModel().getName()).isEqualTo("image-moco");
            assertThat(e.getModel().getVersion()).isGreaterThanOrEqualTo(0);
        });
        assertThat(metrics.embeddingsOut("image")).isEqualTo(7);
    }

    @Test
    void shouldEmbedSentencesWithTheirOwnModel() {
        for (String text : List.of("The jury said nothing.", "A quiet evening by the sea", "Prices rose again")) {
            RawItem item = io.streamcl.ingest.SentenceItems.rawItem("s-" + text.length(), 5L, text, Map.of());
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        for (int t = 0; t < 10; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        Map<String, Embedding> out = embeddings.readKeyValuesToMap();
        assertThat(out).hasSize(3);
        assertThat(out.values()).allSatisfy(e -> {
            assertThat(e.getKind()).isEqualTo("sentence");
            assertThat(e.getModel().getName()).isEqualTo("sentence-moco");
            assertThat(e.getDim()).isEqualTo(16);
        });
        assertThat(metrics.embeddingsOut("sentence")).isEqualTo(3);
    }

    @Test
    void shouldPublishSnapshotsWithIncreasingVersionsAsItTrains() {
        Random random = new Random(3);
        for (int i = 0; i < 24; i++) {
            RawItem item = image("img-" + i, 12, 12, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        // past the linger it trains on what is left, at most 1 s of real time per tick: on a loaded machine
        // that takes more ticks, and extra ticks cost nothing once all is learned
        for (int t = 0; t < 40; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(300));
        }
        // every kind's trainer publishes its untrained v0; this test streams images only
        List<ModelSnapshot> snapshots = models.readValuesToList().stream()
                .filter(s -> s.getKind().equals("image")).toList();
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(3);
        assertThat(snapshots.get(0).getVersion()).isZero();
        assertThat(snapshots.get(0).getStep()).isZero();
        for (int i = 1; i < snapshots.size(); i++) {
            assertThat(snapshots.get(i).getVersion()).isEqualTo(snapshots.get(i - 1).getVersion() + 1);
            assertThat(snapshots.get(i).getStep()).isGreaterThan(snapshots.get(i - 1).getStep());
        }
        ModelSnapshot last = snapshots.get(snapshots.size() - 1);
        // 24 items x 2 uses / batch 4 = 12 steps, all published at the end
        assertThat(last.getStep()).isEqualTo(12);
        assertThat(last.getMetrics().get("items_seen")).isEqualTo(24.0);
        assertThat(last.getEncoderConfig()).containsEntry("type", "image-cnn").containsEntry("size", "8");
        assertThat(metrics.itemsTrained("image")).isEqualTo(24);
    }

    static RawItem image(String id, int width, int height, Random random) {
        byte[] pixels = new byte[width * height];
        random.nextBytes(pixels);
        return RawItems.image(id, 1_000L, RawItems.rawU8(width, height, 1, pixels));
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
