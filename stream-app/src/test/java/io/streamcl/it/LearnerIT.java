package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.cli.Main;
import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.TopicReader;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner in this JVM against a real broker (see {@link KafkaBrokerExtension}): good images come out as
 * unit-length embeddings, bad records land whole in the dead-letter topic without stopping the app, and the
 * trainer publishes snapshots with versions 0, 1, 2, ...
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 150) // each test
class LearnerIT {
    /** A tiny but real model so a training step takes milliseconds (same idea as LearnerTopologyTest). */
    private static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"), Map.entry("replay.updates-per-item", "2"),
            Map.entry("bank.size", "16"), Map.entry("snapshot.every-steps", "2"), Map.entry("embed.batch.size", "16"),
            Map.entry("image.size", "8"), Map.entry("image.conv-channels", "4"), Map.entry("embedding.dim", "16"),
            Map.entry("projection.dim", "8"), Map.entry("batch.linger.ms", "200"), Map.entry("device", "cpu"),
            Map.entry("sentence.vocab-size", "1024"), Map.entry("sentence.token-dim", "8"),
            Map.entry("event.vocab-size", "256"), Map.entry("event.slots", "4"), Map.entry("event.token-dim", "8"));

    private static final int GOOD = 300;
    private static final int SIDE = 12;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private LearnerApp app;

    @AfterEach
    void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void shouldEmbedEveryGoodItemDeadLetterEveryBadOneAndPublishIncreasingSnapshots(Broker broker) throws Exception {
        Settings settings = settings(broker);
        String bootstrap = broker.bootstrapServers();
        String rawTopic = settings.get(Settings.TOPIC_RAW_ITEMS);

        app = LearnerApp.start(settings, new PipelineMetrics());

        AvroSerde<RawItem> rawSerde = AvroSerde.of(RawItem.class);
        Random random = new Random(11);
        List<RawItem> good = IntStream.range(0, GOOD).mapToObj(i -> image("it-" + i, random)).toList();
        // bad records, by key: what each one is and the stage it must be rejected at
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("bad-not-avro", "this is not an Avro record".getBytes(StandardCharsets.UTF_8));
        bad.put("bad-truncated", Arrays.copyOf(rawSerde.encode(image("bad-truncated", random)), 30));
        bad.put("bad-wrong-size", rawSerde.encode(RawItems.image("bad-wrong-size", 1_000L,
                RawItems.rawU8(SIDE, SIDE, 1, new byte[SIDE * SIDE - 7]))));
        bad.put("bad-null", null);
        Map<String, String> expectedStage = Map.of("bad-not-avro", "decode", "bad-truncated", "decode",
                "bad-wrong-size", "validate", "bad-null", "decode");

        try (RawItemProducer producer = new RawItemProducer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), rawTopic,
                KindRegistry.standard()::partitionKey);
                KafkaProducer<byte[], byte[]> rawProducer = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
            List<String> badKeys = new ArrayList<>(bad.keySet());
            for (int i = 0; i < GOOD; i++) {
                producer.send(good.get(i));
                if (i % 100 == 50) { // bad records in between good ones, the last one after most of them
                    int b = i / 100;
                    sendRaw(rawProducer, rawTopic, badKeys.get(b), bad.get(badKeys.get(b)));
                }
            }
            sendRaw(rawProducer, rawTopic, badKeys.get(3), bad.get(badKeys.get(3)));
            producer.flush();
            rawProducer.flush();
            assertThat(producer.failed()).as("send errors: %s", producer.firstError()).isZero();
            assertThat(producer.acked()).isEqualTo(GOOD);
        }

        // every good item comes out as one embedding
        Path csv = tmp.resolve("embeddings.csv");
        int exit = Main.execute("export", "--bootstrap-servers", bootstrap,
                "--topic", settings.get(Settings.TOPIC_EMBEDDINGS), "--out", csv.toString(),
                "--wait-for", Integer.toString(GOOD), "--timeout", "120");
        assertThat(exit).as("export exit code").isZero();
        Map<String, double[]> rows = new LinkedHashMap<>();
        Map<String, Long> versions = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).isNotEmpty();
        String[] header = lines.get(0).split(",", -1);
        int dim = settings.get(Settings.EMBEDDING_DIM);
        assertThat(header).hasSize(2 + dim);
        assertThat(header[0]).isEqualTo("id");
        assertThat(header[1]).isEqualTo("model_version");
        for (int j = 0; j < dim; j++) {
            assertThat(header[2 + j]).isEqualTo("v" + j);
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            assertThat(f).as("row %s", line).hasSize(2 + dim);
            assertThat(rows.put(f[0], Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray()))
                    .as("duplicate id %s", f[0]).isNull();
            versions.put(f[0], Long.parseLong(f[1]));
        }
        Set<String> expectedIds = good.stream().map(RawItem::getId).collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(rows.keySet())).isEqualTo(expectedIds);
        rows.forEach((id, v) -> {
            double sum = 0;
            for (double x : v) {
                assertThat(Double.isFinite(x)).as("%s has a non-finite value", id).isTrue();
                sum += x * x;
            }
            assertThat(Math.sqrt(sum)).as("L2 norm of %s", id).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        });

        // every bad record is in the dead-letter topic, whole, with its stage and reason
        List<ConsumerRecord<String, DeadLetter>> letters = readUntil(bootstrap,
                settings.get(Settings.TOPIC_DEAD_LETTERS), AvroSerde.of(DeadLetter.class).deserializer(),
                got -> got.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(bad.keySet()));
        Map<String, DeadLetter> byKey = new LinkedHashMap<>();
        letters.forEach(r -> byKey.put(r.key(), r.value()));
        assertThat(byKey).containsOnlyKeys(bad.keySet());
        assertThat(letters).hasSize(bad.size());
        byKey.forEach((key, letter) -> {
            assertThat(letter.getStage()).as("stage of %s", key).isEqualTo(expectedStage.get(key));
            assertThat(letter.getReason()).as("reason of %s", key).isNotBlank();
            assertThat(letter.getSourceTopic()).isEqualTo(rawTopic);
            assertThat(letter.getSourceOffset()).isGreaterThanOrEqualTo(0L);
            byte[] original = bad.get(key);
            if (original == null) {
                assertThat(letter.getValue()).isNull();
            } else {
                assertThat(bytes(letter.getValue().duplicate())).isEqualTo(original);
            }
        });
        assertThat(byKey.get("bad-wrong-size").getReason()).contains(Integer.toString(SIDE * SIDE - 7));
        assertThat(app.state()).as("app state after the bad records").isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(app.metrics().deadLetters()).isGreaterThanOrEqualTo(bad.size());

        // the trainer's snapshots: versions 0, 1, 2, ... in order
        List<ConsumerRecord<String, ModelSnapshot>> snapshots = readUntil(bootstrap,
                settings.get(Settings.TOPIC_MODELS), AvroSerde.of(ModelSnapshot.class).deserializer(), got -> true)
                .stream().filter(r -> r.key().equals("image")).toList(); // every kind publishes its own v0
        // a version comes again only to confirm it as all there was to learn (caught_up)
        List<Long> snapshotVersions = snapshots.stream().map(r -> r.value().getVersion()).distinct().toList();
        assertThat(snapshots).isNotEmpty();
        assertThat(snapshotVersions).as("snapshot versions").isNotEmpty().startsWith(0L);
        for (int i = 1; i < snapshotVersions.size(); i++) {
            assertThat(snapshotVersions.get(i)).as("snapshot versions %s", snapshotVersions)
                    .isGreaterThan(snapshotVersions.get(i - 1));
        }
        assertThat(snapshotVersions.size()).as("snapshots published while training on %d items", GOOD)
                .isGreaterThanOrEqualTo(3);
        System.out.printf("[LearnerIT] %d snapshots (v%d..v%d); embeddings stamped with versions %s%n",
                snapshotVersions.size(), snapshotVersions.get(0), snapshotVersions.get(snapshotVersions.size() - 1),
                new TreeSet<>(versions.values()));
        assertThat(snapshotVersions).as("every version an embedding is stamped with was published")
                .containsAll(new TreeSet<>(versions.values()));
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    void shouldLearnImagesSentencesAndEventsTogetherEachWithItsOwnModel(Broker broker) throws Exception {
        // the default sentence encoder: its checkpoint (the largest of the defaults) must get through the changelog
        Settings settings = settings(broker).with(Map.of("sentence.vocab-size", "32768", "sentence.token-dim", "64"));
        app = LearnerApp.start(settings, new PipelineMetrics());
        Random random = new Random(5);
        List<RawItem> items = new ArrayList<>();
        Set<String> expectedKeys = new TreeSet<>();
        long t0 = 1_700_000_000_000L;
        for (int i = 0; i < 60; i++) { // interleaved: an image, a sentence, an event
            items.add(image("img-" + i, random));
            items.add(io.streamcl.ingest.SentenceItems.rawItem("s-" + i, t0, "sentence " + i + " about topic "
                    + (i % 5), Map.of()));
            io.streamcl.ingest.EventRow e = new io.streamcl.ingest.EventRow("u" + (i % 6), "item" + (i % 17),
                    "view", t0 + i * 1_000L, null, Map.of("colour", "c" + (i % 3)));
            items.add(io.streamcl.ingest.EventItems.rawItem("ev-" + i, e));
            expectedKeys.addAll(List.of("img-" + i, "s-" + i, "item:" + e.itemId(), "user:" + e.userId()));
        }
        try (RawItemProducer producer = new RawItemProducer(settings.kafkaClientProperties(),
                settings.get(Settings.TOPIC_RAW_ITEMS), KindRegistry.standard()::partitionKey)) {
            items.forEach(producer::send);
            producer.flush();
            assertThat(producer.acked()).isEqualTo(items.size());
        }
        List<ConsumerRecord<String, io.streamcl.schema.Embedding>> embeddings = readUntil(broker.bootstrapServers(),
                settings.get(Settings.TOPIC_EMBEDDINGS), AvroSerde.of(io.streamcl.schema.Embedding.class).deserializer(),
                got -> got.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(expectedKeys));
        Map<String, io.streamcl.schema.Embedding> latest = new LinkedHashMap<>();
        embeddings.forEach(r -> latest.put(r.key(), r.value()));
        assertThat(new TreeSet<>(latest.keySet())).isEqualTo(expectedKeys);
        Map<String, String> modelOfKind = Map.of("image", "image-moco", "sentence", "sentence-simclr",
                "item", "event-moco", "user", "event-moco");
        latest.values().forEach(e -> assertThat(e.getModel().getName()).as("model of %s", e.getId())
                .isEqualTo(modelOfKind.get(e.getKind())));

        // each kind trains and publishes its own versions: 0, 1, 2, ...
        Map<String, List<Long>> versions = new LinkedHashMap<>();
        readUntil(broker.bootstrapServers(), settings.get(Settings.TOPIC_MODELS),
                AvroSerde.of(ModelSnapshot.class).deserializer(), got -> {
                    versions.clear();
                    got.stream().filter(r -> io.streamcl.topology.ModelSnapshots.isCandidateKey(r.key()))
                            .forEach(r -> {
                                List<Long> v = versions.computeIfAbsent(r.key(), k -> new ArrayList<>());
                                if (v.isEmpty() || v.get(v.size() - 1) != r.value().getVersion()) {
                                    v.add(r.value().getVersion()); // a confirmation repeats the version
                                }
                            });
                    return versions.keySet().containsAll(List.of("image", "sentence", "event"))
                            && versions.values().stream().allMatch(v -> v.size() >= 2);
                });
        System.out.println("[LearnerIT] snapshot versions per kind: " + versions);
        assertThat(versions).containsOnlyKeys("image", "sentence", "event");
        versions.forEach((kind, v) -> {
            assertThat(v).as("%s versions", kind).startsWith(0L).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 1; i < v.size(); i++) {
                assertThat(v.get(i)).as("%s versions %s", kind, v).isEqualTo(v.get(i - 1) + 1);
            }
        });
        assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(app.metrics().threadsReplaced()).as("stream threads that died").isZero();
    }

    private Settings settings(Broker broker) throws java.io.IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> overrides = new LinkedHashMap<>(SMALL);
        overrides.put("bootstrap.servers", broker.bootstrapServers());
        overrides.put("application.id", "learner-it-" + suffix);
        overrides.put("state.dir", Files.createDirectories(tmp.resolve("state-" + suffix)).toString());
        overrides.put("topic.raw-items", "raw-items-" + suffix);
        overrides.put("topic.dead-letters", "raw-items-dlq-" + suffix);
        overrides.put("topic.models", "models-" + suffix);
        overrides.put("topic.embeddings", "embeddings-" + suffix);
        overrides.put("topic.train-prefix", "train-" + suffix + "-");
        overrides.put("topic.partitions", "2");
        return KindRegistry.standard().defaultSettings().with(overrides);
    }

    private static RawItem image(String id, Random random) {
        byte[] pixels = new byte[SIDE * SIDE];
        random.nextBytes(pixels);
        return RawItems.image(id, 1_000L, RawItems.rawU8(SIDE, SIDE, 1, pixels));
    }

    private static void sendRaw(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static byte[] bytes(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static <V> List<ConsumerRecord<String, V>> readUntil(String bootstrap, String topic,
            Deserializer<V> values, java.util.function.Predicate<List<ConsumerRecord<String, V>>> done) {
        return TopicReader.readUntil(bootstrap, topic, values, done, READ_TIMEOUT);
    }
}
