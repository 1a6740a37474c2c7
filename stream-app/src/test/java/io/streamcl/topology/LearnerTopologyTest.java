package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.DrivenTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology driven without a broker: real Serdes, real training, the same topic names as production. The
 * trainers train in the stream thread by the driver's clock ({@link TrainerProcessor}'s {@code trainInCaller}),
 * so what they publish by a given wall-clock time is exact; only the embedders' reading of the served version,
 * on the real clock, needs real time to pass.
 */
class LearnerTopologyTest {
    /** A tiny but real configuration so a step takes milliseconds. */
    static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"), Map.entry("replay.updates-per-item", "2"),
            Map.entry("bank.size", "16"), Map.entry("snapshot.every-steps", "2"), Map.entry("embed.batch.size", "3"),
            Map.entry("image.size", "8"), Map.entry("image.conv-channels", "4"), Map.entry("embedding.dim", "16"),
            Map.entry("projection.dim", "8"), Map.entry("batch.linger.ms", "200"), Map.entry("device", "cpu"),
            Map.entry("sentence.vocab-size", "1024"), Map.entry("sentence.token-dim", "8"),
            Map.entry("event.vocab-size", "256"), Map.entry("event.slots", "4"), Map.entry("event.token-dim", "8"));

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
        drive(KindRegistry.standard().defaultSettings().with(SMALL), stateDir);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A fresh driver of the topology with these settings, and its topics. */
    private void drive(Settings settings, Path state) {
        DrivenTopology topology = new DrivenTopology(settings, ItemKinds.fromSettings(settings), state);
        metrics = topology.metrics;
        driver = topology.driver;
        raw = topology.raw;
        deadLetters = topology.deadLetters;
        embeddings = topology.embeddings;
        models = topology.models;
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
        Map<Long, Long> servedSteps = new java.util.HashMap<>();
        models.readKeyValuesToList().stream().filter(kv -> kv.key.equals("image@served"))
                .forEach(kv -> servedSteps.put(kv.value.getVersion(), kv.value.getStep()));
        assertThat(servedSteps).as("v0, the untrained encoder, served with the first item").containsEntry(0L, 0L);
        assertThat(out).hasSize(7);
        out.forEach((id, e) -> {
            assertThat(e.getId()).isEqualTo(id);
            assertThat(e.getKind()).isEqualTo("image");
            assertThat(e.getDim()).isEqualTo(16).isEqualTo(e.getVector().size());
            double norm = e.getVector().stream().mapToDouble(v -> v * v).sum();
            assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
            assertThat(e.getModel().getName()).isEqualTo("image-moco");
            assertThat(servedSteps).as("each embedding's version was served, and made at the step it says")
                    .containsEntry(e.getModel().getVersion(), e.getModel().getStep());
        });
        assertThat(metrics.embeddingsOut("image")).isEqualTo(7);
    }

    @Test
    void shouldSampleTheNewestEmbeddingOfEachArrivingItemWithItsLabel() {
        Random random = new Random(11);
        for (int i = 0; i < 5; i++) {
            byte[] pixels = new byte[81];
            random.nextBytes(pixels);
            // two of them unlabelled; a label is kept whatever it says, cut when it is long
            RawItem item = i < 2 ? RawItems.image("img-" + i, 1_000L, RawItems.rawU8(9, 9, 1, pixels))
                    : RawItems.labelledImage("img-" + i, 1_000L, RawItems.rawU8(9, 9, 1, pixels),
                            i == 4 ? "x".repeat(1000) : "class " + i);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        for (int t = 0; t < 10; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        Map<String, Embedding> out = embeddings.readKeyValuesToMap();
        List<RecentEmbeddings.Sampled> sampled = metrics.recentEmbeddings().embedded("image");
        assertThat(sampled).extracting(RecentEmbeddings.Sampled::id)
                .containsExactly("img-0", "img-1", "img-2", "img-3", "img-4");
        assertThat(sampled).extracting(RecentEmbeddings.Sampled::label).startsWith(null, null, "class 2", "class 3");
        assertThat(sampled.get(4).label()).hasSizeLessThan(100).startsWith("xxx");
        sampled.forEach(s -> {
            Embedding published = out.get(s.id());
            assertThat(s.version()).isEqualTo(published.getModel().getVersion());
            float[] vector = new float[published.getDim()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = published.getVector().get(i);
            }
            assertThat(s.vector()).containsExactly(vector);
        });
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
            assertThat(e.getModel().getName()).isEqualTo("sentence-simclr");
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
        // the trainer trains on its own thread; once the stream is quiet it trains on what is left
        List<ModelSnapshot> snapshots = awaitSnapshots("image", 12);
        assertThat(snapshots).hasSizeGreaterThanOrEqualTo(3);
        assertThat(snapshots.get(0).getVersion()).isZero();
        assertThat(snapshots.get(0).getStep()).isZero();
        // the last may come twice: once more as all there is to learn (caught_up), with the same version
        snapshots.removeIf(x -> x != snapshots.get(snapshots.size() - 1)
                && x.getVersion() == snapshots.get(snapshots.size() - 1).getVersion());
        assertThat(snapshots.get(snapshots.size() - 1).getMetrics()).containsEntry("caught_up", 1.0)
                .containsEntry("pending_uses", 0.0);
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

    @Test
    void shouldEmbedEachEventsItemAndUserUnderTheirOwnKeys() {
        long t0 = 1_700_000_000_000L;
        pipeEvent("e1", "u1", "a", t0);
        pipeEvent("e2", "u1", "b", t0 + 60_000);
        pipeEvent("e3", "u2", "a", t0 + 90_000);
        pipeEvent("e4", "u1", "c", t0 + 120_000);
        for (int t = 0; t < 10; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        Map<String, Embedding> out = embeddings.readKeyValuesToMap();
        assertThat(out).containsOnlyKeys("item:a", "item:b", "item:c", "user:u1", "user:u2");
        out.forEach((key, e) -> {
            assertThat(e.getId()).isEqualTo(key);
            assertThat(e.getKind()).isEqualTo(key.substring(0, key.indexOf(':')));
            assertThat(e.getModel().getName()).isEqualTo("event-moco");
            assertThat(e.getDim()).isEqualTo(16);
        });
        assertThat(out.get("user:u1").getEventTime()).isEqualTo(Instant.ofEpochMilli(t0 + 120_000));
        assertThat(out.get("user:u1").getVector()).isNotEqualTo(out.get("user:u2").getVector());
        assertThat(history("u1")).containsExactly("a", "b", "c");
        assertThat(history("u2")).containsExactly("a");
        assertThat(metrics.itemsIn("event")).isEqualTo(4);
    }

    @Test
    void shouldEmbedALateEventsItemButLeaveItsUsersHistoryAsItWas() {
        long t0 = 1_700_000_000_000L;
        pipeEvent("e1", "u1", "a", t0);
        pipeEvent("e2", "u1", "b", t0 + 60_000);
        pipeEvent("e3", "u1", "early", t0 + 30_000); // within event.out-of-order-ms: put in its place
        pipeEvent("e4", "u1", "stale", t0 - 3_600_000); // an hour before the newest: too late
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertThat(history("u1")).containsExactly("a", "early", "b");
        assertThat(embeddings.readKeyValuesToMap()).containsKeys("item:stale", "item:early", "user:u1");
        assertThat(metrics.lateItems("event")).isEqualTo(1);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldSendInvalidEventsToTheDeadLetterTopicWithTheirReason() {
        pipeEvent("no-user", " ", "a", 0L);
        pipeEvent("no-item", "u1", "", 0L);
        raw.pipeInput(key("nan"), rawSerde.encode(event("nan", "u1", "a", 0L).setPayload(
                io.streamcl.schema.UserEvent.newBuilder().setUserId("u1").setItemId("a").setEventType("rating")
                        .setWeight(Float.NaN).build()).build()));
        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(TestRecord::key).containsExactly("no-user", "no-item", "nan");
        assertThat(letters).extracting(r -> r.value().getReason()).containsExactly(
                "event: userId is blank", "event: itemId is blank", "event: weight must be finite, got NaN");
        pipeEvent("ok", "u1", "a", 0L);
        driver.advanceWallClockTime(Duration.ofMillis(500));
        assertThat(embeddings.readKeyValuesToMap()).containsOnlyKeys("item:a", "user:u1");
    }

    @Test
    void shouldSendItemsOfADisabledKindToTheDeadLetterTopic() {
        driver.close();
        Settings imagesOnly = KindRegistry.standard().defaultSettings().with(SMALL).with(Map.of("kinds", "image"));
        drive(imagesOnly, stateDir.resolve("images-only"));
        pipeEvent("e1", "u1", "a", 0L);
        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(TestRecord::key).containsExactly("e1");
        assertThat(letters.get(0).value().getReason()).isEqualTo("no enabled kind handles payload UserEvent");
    }

    @Test
    void shouldTrainTheEventModelOnSessionPairs() {
        // the driver's clock stands still while the events are piped: the trainer never drains a short batch
        // mid-stream (a lone pair then left would have no negative and be dropped)
        Random random = new Random(5);
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 40; i++) {
            t += 1_000;
            pipeEvent("e" + i, "u" + random.nextInt(4), "i" + random.nextInt(10), t);
        }
        // 4 users: all but each user's first event make a pair, each used twice, 4 per batch
        List<ModelSnapshot> snapshots = awaitSnapshots("event", (40 - 4) * 2 / 4);
        ModelSnapshot last = snapshots.get(snapshots.size() - 1);
        assertThat(last.getMetrics().get("items_seen")).isEqualTo(40.0);
        assertThat(last.getStep()).isEqualTo((40 - 4) * 2 / 4);
        assertThat(last.getEncoderConfig()).containsEntry("type", "event-item-sequence");
    }

    /**
     * A kind's snapshots once the stream has been quiet for {@code batch.linger.ms} (200) and one more tick:
     * by then the trainer has trained on all it was given and published it, caught up at {@code step}.
     */
    private List<ModelSnapshot> awaitSnapshots(String kind, long step) {
        driver.advanceWallClockTime(Duration.ofMillis(200));
        driver.advanceWallClockTime(Duration.ofMillis(100));
        List<ModelSnapshot> snapshots = new java.util.ArrayList<>(models.readValuesToList().stream()
                .filter(s -> s.getKind().equals(kind) && s.getPromotion() == null).toList());
        assertThat(snapshots).as(kind + " snapshots").isNotEmpty();
        assertThat(snapshots.get(snapshots.size() - 1).getStep()).isEqualTo(step);
        assertThat(snapshots.get(snapshots.size() - 1).getMetrics()).containsEntry("caught_up", 1.0);
        return snapshots;
    }

    private void pipeEvent(String id, String user, String item, long time) {
        raw.pipeInput(key(id), rawSerde.encode(event(id, user, item, time).build()));
    }

    private static RawItem.Builder event(String id, String user, String item, long time) {
        return RawItem.newBuilder().setId(id).setEventTime(Instant.ofEpochMilli(time))
                .setPayload(io.streamcl.schema.UserEvent.newBuilder().setUserId(user).setItemId(item)
                        .setEventType("view").build());
    }

    private List<String> history(String user) {
        org.apache.kafka.streams.state.KeyValueStore<String, byte[]> store =
                driver.getKeyValueStore(LearnerTopology.HISTORIES_STORE + "-event");
        return io.streamcl.learn.UserHistory.fromBytes(store.get(user)).recent();
    }

    @Test
    void shouldReembedTheWholeCatalogueUnderEachServedVersionAndMarkItComplete() {
        driver.close();
        Settings promoting = KindRegistry.standard().defaultSettings().with(SMALL).with(Map.of("promotion.interval.ms", "0"));
        drive(promoting, stateDir.resolve("backfill"));
        TestOutputTopic<String, EmbeddingStatus> status = driver.createOutputTopic("embedding-status",
                new StringDeserializer(), AvroSerde.of(EmbeddingStatus.class).deserializer());
        Random random = new Random(4);
        for (int i = 0; i < 24; i++) {
            RawItem item = image("img-" + i, 12, 12, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        Map<String, java.util.List<Long>> versions = new java.util.HashMap<>();
        Map<String, ModelSnapshot> served = new java.util.TreeMap<>();
        Map<Long, EmbeddingStatus> complete = new java.util.TreeMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !converged(versions, served, complete)) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
            embeddings.readValuesToList().forEach(e -> versions.computeIfAbsent(e.getId(),
                    k -> new java.util.ArrayList<>()).add(e.getModel().getVersion()));
            models.readKeyValuesToList().stream().filter(kv -> kv.key.equals("image@served"))
                    .forEach(kv -> served.put(String.format("%09d", kv.value.getVersion()), kv.value));
            status.readKeyValuesToList().forEach(kv -> complete.put(kv.value.getVersion(), kv.value));
            sleep(20);
        }
        assertThat(served).as("promoted versions").hasSizeGreaterThanOrEqualTo(2);
        long last = served.values().stream().mapToLong(ModelSnapshot::getVersion).max().orElseThrow();
        assertThat(versions).hasSize(24);
        assertThat(versions.values()).as("every item re-embedded under the last served version, each version once")
                .allSatisfy(v -> assertThat(v).contains(last).doesNotHaveDuplicates());
        assertThat(complete.get(last).getItems()).isEqualTo(24);
        assertThat(complete.get(last).getPartitions()).isEqualTo(1);
        long embedded = versions.values().stream().mapToLong(List::size).sum();
        assertThat(metrics.embeddingsOut("image")).as("fresh embeddings: each item once, under v0").isEqualTo(24);
        assertThat(metrics.backfilled("image")).as("every later embedding is a backfill").isEqualTo(embedded - 24);
        served.values().forEach(s -> assertThat(s.getPromotion().getReason()).isNotBlank());
    }

    @Test
    void shouldServeAPinnedVersionToEveryItemAndHandBackToTheGateWhenUnpinned() {
        Random random = new Random(5);
        for (int i = 0; i < 12; i++) {
            RawItem item = image("img-" + i, 10, 10, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        Map<String, Long> latest = new java.util.HashMap<>();
        List<ModelSnapshot> candidates = new java.util.ArrayList<>();
        List<ModelSnapshot> served = new java.util.ArrayList<>();
        // until the gate serves the trainer's idle snapshot and every item is on it
        advanceUntil(() -> !served.isEmpty() && "idle".equals(served.get(served.size() - 1).getPromotion().getMode())
                && latest.size() == 12 && latest.values().stream().allMatch(
                        v -> v == served.get(served.size() - 1).getVersion()), latest, candidates, served);
        long gateVersion = served.get(served.size() - 1).getVersion();
        ModelSnapshot newest = candidates.get(candidates.size() - 1);
        assertThat(newest.getMetrics()).containsEntry("caught_up", 1.0);
        assertThat(gateVersion).as("the trainer's newest, caught-up snapshot").isEqualTo(newest.getVersion())
                .isPositive();
        ModelSnapshot untrained = candidates.stream().filter(c -> c.getVersion() == 0).findFirst().orElseThrow();

        TestInputTopic<String, ModelSnapshot> registry = driver.createInputTopic("models", new StringSerializer(),
                AvroSerde.of(ModelSnapshot.class).serializer());
        registry.pipeInput("image@pinned", ModelSnapshots.promoted(untrained, "pinned", "test",
                Instant.now()));
        // a snapshot nobody promoted, with garbage for parameters: embedders never load it
        registry.pipeInput("image", ModelSnapshot.newBuilder(untrained).setVersion(999)
                .setParameters(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})).build());
        advanceUntil(() -> latest.values().stream().allMatch(v -> v == 0), latest, candidates, served);
        assertThat(latest.values()).as("every item re-embedded under the pinned v0").containsOnly(0L);

        registry.pipeInput("image@pinned", (ModelSnapshot) null);
        advanceUntil(() -> latest.values().stream().allMatch(v -> v == gateVersion), latest, candidates, served);
        assertThat(latest.values()).as("back on the gate's version once unpinned").containsOnly(gateVersion);
        assertThat(served).extracting(ModelSnapshot::getVersion).as("nothing promoted over the pin")
                .doesNotContain(999L).last().isEqualTo(gateVersion);
    }

    @Test
    void garbageOnTheModelsTopicShouldNeverStopTheFeed() {
        Random random = new Random(8);
        for (int i = 0; i < 6; i++) {
            RawItem item = image("img-" + i, 10, 10, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        Map<String, Long> latest = new java.util.HashMap<>();
        List<ModelSnapshot> candidates = new java.util.ArrayList<>();
        List<ModelSnapshot> served = new java.util.ArrayList<>();
        advanceUntil(() -> latest.size() == 6, latest, candidates, served);
        ModelSnapshot untrained = candidates.stream().filter(c -> c.getVersion() == 0).findFirst().orElseThrow();

        TestInputTopic<String, byte[]> bytes = driver.createInputTopic("models", new StringSerializer(),
                new ByteArraySerializer());
        bytes.pipeInput("image@served", "not a snapshot".getBytes(StandardCharsets.UTF_8));
        bytes.pipeInput("image", new byte[0]);
        bytes.pipeInput("image", (byte[]) null);
        bytes.pipeInput((String) null, new byte[] {0x7f});
        TestInputTopic<String, ModelSnapshot> registry = driver.createInputTopic("models", new StringSerializer(),
                AvroSerde.of(ModelSnapshot.class).serializer());
        byte[] parameters = ModelSnapshots.parameters(untrained);
        registry.pipeInput("image@pinned", ModelSnapshots.promoted(ModelSnapshot.newBuilder(untrained).setVersion(1000)
                .setParameters(java.nio.ByteBuffer.wrap(Arrays.copyOf(parameters, parameters.length / 2))).build(),
                "pinned", "truncated", Instant.now()));
        advanceUntil(() -> metrics.snapshotsRejected("image") == 1, latest, candidates, served);
        byte[] nan = parameters.clone();
        Arrays.fill(nan, nan.length - 64, nan.length, (byte) 0xff); // the last parameter's last values: NaN
        registry.pipeInput("image@pinned", ModelSnapshots.promoted(ModelSnapshot.newBuilder(untrained).setVersion(1001)
                .setParameters(java.nio.ByteBuffer.wrap(nan)).build(), "pinned", "not finite", Instant.now()));
        for (int i = 6; i < 10; i++) {
            RawItem item = image("img-" + i, 10, 10, random);
            raw.pipeInput(key(item.getId()), rawSerde.encode(item));
        }
        advanceUntil(() -> latest.size() == 10 && metrics.snapshotsRejected("image") == 2, latest, candidates, served);
        assertThat(latest).as("items that came after the garbage are embedded").hasSize(10);
        assertThat(latest.values()).doesNotContain(1000L, 1001L);
        assertThat(metrics.snapshotsRejected("image")).as("the truncated and the NaN snapshot").isEqualTo(2);
        // (the bytes that are no snapshot are skipped by the driver's own handler: it ignores the app's for global
        // stores; on a broker SkipUndecodable counts them)
        assertThat(metrics.threadsReplaced()).isZero();
    }

    @Test
    void anItemFromTheFutureShouldBeADeadLetterAndOneFromLongAgoBeEmbeddedStampedWhenItWasMade() {
        Random random = new Random(4);
        RawItem future = RawItems.image("future", Instant.now().plus(Duration.ofDays(10)).toEpochMilli(),
                RawItems.rawU8(10, 10, 1, new byte[100]));
        long longAgo = Instant.parse("1996-04-01T12:00:00Z").toEpochMilli();
        RawItem old = RawItems.image("1996", longAgo, image("x", 10, 10, random).getPayload() instanceof
                io.streamcl.schema.ImageItem i ? i : null);
        long before = System.currentTimeMillis();
        raw.pipeInput(key("future"), rawSerde.encode(future));
        raw.pipeInput(key("1996"), rawSerde.encode(old));
        List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
        assertThat(letters).extracting(TestRecord::key).containsExactly("future");
        assertThat(letters.get(0).value().getReason()).contains("ahead of this clock");
        for (int t = 0; t < 10; t++) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
        }
        List<TestRecord<String, Embedding>> out = embeddings.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsOnly("1996");
        assertThat(out.get(0).value().getEventTime().toEpochMilli()).isEqualTo(longAgo);
        assertThat(out.get(0).timestamp()).as("the record's timestamp: when it was made").isGreaterThanOrEqualTo(before);
    }

    private void advanceUntil(java.util.function.BooleanSupplier done, Map<String, Long> latest,
            List<ModelSnapshot> candidates, List<ModelSnapshot> served) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            driver.advanceWallClockTime(Duration.ofMillis(100));
            embeddings.readValuesToList().forEach(e -> latest.put(e.getId(), e.getModel().getVersion()));
            models.readKeyValuesToList().forEach(kv -> (kv.key.equals("image@served") ? served : kv.key.equals("image")
                    ? candidates : new java.util.ArrayList<ModelSnapshot>()).add(kv.value));
            if (done.getAsBoolean()) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("timed out; latest versions " + latest + ", served "
                + served.stream().map(ModelSnapshot::getVersion).toList());
    }

    /** Every item on the newest served version, which is the trainer's last, idle snapshot, marked complete. */
    private static boolean converged(Map<String, java.util.List<Long>> versions, Map<String, ModelSnapshot> served,
            Map<Long, EmbeddingStatus> complete) {
        if (served.isEmpty() || versions.size() < 24) {
            return false;
        }
        ModelSnapshot last = served.values().stream().reduce((a, b) -> b).orElseThrow();
        return "idle".equals(last.getPromotion().getMode()) && complete.containsKey(last.getVersion())
                && versions.values().stream().allMatch(v -> v.get(v.size() - 1) == last.getVersion());
    }

    /**
     * The embedders read the served version from the global store at most every 200 ms of the real clock, and
     * pace their backfill on it: tests that wait for a new served version to reach every item let real time pass.
     */
    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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
