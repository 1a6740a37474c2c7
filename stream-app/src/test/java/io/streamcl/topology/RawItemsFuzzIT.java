package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.config.Settings;
import io.streamcl.kind.EventKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ImageEncoding;
import io.streamcl.schema.ImageItem;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import io.streamcl.schema.UserEvent;
import io.streamcl.schema.serde.AvroSerde;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Fuzzing of raw-items, per payload type, through the whole topology (real decoding, training and
 * embedding): valid records, and valid records truncated, bit-flipped, re-headed with an unknown schema
 * fingerprint, replaced by random bytes, or built with absurd fields (times, sizes, ids, texts, weights,
 * image headers). Each record is either taken in or a dead letter with a reason, the topology never throws,
 * and at the end every record taken in has its embedding.
 */
class RawItemsFuzzIT {
    private static final int TRIES = 10_000;
    private static final long NOW = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();

    private final AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
    private Path stateDir;
    private TopologyTestDriver driver;
    private PipelineMetrics metrics;
    private TestInputTopic<byte[], byte[]> raw;
    private TestOutputTopic<String, DeadLetter> deadLetters;
    private TestOutputTopic<String, Embedding> embeddings;
    private final Set<String> expected = new HashSet<>();
    private long sent;
    private long letters;

    @BeforeProperty
    void start() throws IOException {
        stateDir = Files.createTempDirectory("fuzz-state");
        Settings settings = KindRegistry.standard().defaultSettings().with(LearnerTopologyTest.SMALL);
        metrics = new PipelineMetrics();
        Properties props = LearnerApp.streamsConfig(settings, metrics, new RefusedRecords());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(LearnerTopology.buildTopology(settings, ItemKinds.fromSettings(settings),
                metrics, ComputeDevice.cpu()), props, Instant.ofEpochMilli(NOW));
        Topics topics = Topics.from(settings);
        raw = driver.createInputTopic(topics.rawItems(), new ByteArraySerializer(), new ByteArraySerializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), new StringDeserializer(),
                AvroSerde.of(DeadLetter.class).deserializer());
        embeddings = driver.createOutputTopic(topics.embeddings(), new StringDeserializer(),
                AvroSerde.of(Embedding.class).deserializer());
    }

    @AfterProperty
    void everyRecordTakenInIsEmbedded() throws IOException {
        try {
            Set<String> embedded = new HashSet<>();
            for (int t = 0; t < 600 && !embedded.containsAll(expected); t++) {
                driver.advanceWallClockTime(Duration.ofMillis(100));
                embeddings.readRecordsToList().forEach(r -> {
                    assertThat(r.value().getVector()).allSatisfy(v -> assertThat(v).isFinite());
                    embedded.add(r.key());
                });
            }
            assertThat(expected).as("ids taken in").isNotEmpty();
            assertThat(embedded).containsAll(expected);
            assertThat(letters).as("dead letters").isPositive();
            assertThat(metrics.deadLetters()).isEqualTo(letters);
        } finally {
            driver.close();
            try (Stream<Path> files = Files.walk(stateDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = TRIES, seed = "20261201")
    void everyImageRecordIsTakenInOrADeadLetter(@ForAll("imageRecords") byte[] value) {
        pipe(value);
    }

    @Property(tries = TRIES, seed = "20261202")
    void everySentenceRecordIsTakenInOrADeadLetter(@ForAll("sentenceRecords") byte[] value) {
        pipe(value);
    }

    @Property(tries = TRIES, seed = "20261203")
    void everyEventRecordIsTakenInOrADeadLetter(@ForAll("eventRecords") byte[] value) {
        pipe(value);
    }

    /** One record in: exactly one of "taken in" and "dead letter with a reason". */
    private void pipe(byte[] value) {
        long takenBefore = takenIn();
        raw.pipeInput(("k" + sent++).getBytes(StandardCharsets.UTF_8), value);
        List<TestRecord<String, DeadLetter>> out = deadLetters.readRecordsToList();
        long taken = takenIn() - takenBefore;
        assertThat(out.size() + taken).as("dead letters + items taken in, for one record").isEqualTo(1);
        net.jqwik.api.statistics.Statistics.collect(taken == 1 ? "taken in" : "dead letter: " + out.get(0).value()
                .getStage());
        if (taken == 1) {
            expectEmbeddings(serde.decode(value));
        } else {
            letters++;
            DeadLetter letter = out.get(0).value();
            assertThat(letter.getReason()).isNotBlank();
            assertThat(letter.getStage()).isIn("decode", "validate");
            assertThat(letter.getSourceTopic()).isEqualTo("raw-items");
        }
    }

    private long takenIn() {
        return metrics.itemsIn("image") + metrics.itemsIn("sentence") + metrics.itemsIn("event");
    }

    private void expectEmbeddings(RawItem item) {
        if (item.getPayload() instanceof UserEvent e) {
            expected.add(EventKind.itemKey(e.getItemId()));
            expected.add(EventKind.userKey(e.getUserId()));
        } else {
            expected.add(item.getId());
        }
    }

    // --- what is generated ---

    @Provide
    Arbitrary<byte[]> imageRecords() {
        return records(images());
    }

    @Provide
    Arbitrary<byte[]> sentenceRecords() {
        Arbitrary<String> texts = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '.', ',').ofMinLength(1).ofMaxLength(200),
                Arbitraries.strings().ofMinLength(0).ofMaxLength(300), // any code points, control characters too
                Arbitraries.just(" \t\n "),
                Arbitraries.just("word ".repeat(60_000))); // past sentence.max-chars
        return records(Combinators.combine(texts, Arbitraries.of("en", "zz-Fake", "")).as((text, language) ->
                SentenceItem.newBuilder().setText(text).setLanguage(language.isEmpty() ? null : language).build()));
    }

    @Provide
    Arbitrary<byte[]> eventRecords() {
        Arbitrary<String> ids = Arbitraries.oneOf(Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(8),
                Arbitraries.of("", "  ", "u\u0000", "x".repeat(1000)));
        Arbitrary<Float> weights = Arbitraries.oneOf(Arbitraries.floats().between(-5f, 5f),
                Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
                        -Float.MAX_VALUE), Arbitraries.just(null));
        Arbitrary<Map<String, String>> attributes = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.maps(Arbitraries.of("genre", "year", ""), Arbitraries.strings().ofMaxLength(20))
                        .ofMaxSize(3));
        return records(Combinators.combine(ids, ids, Arbitraries.of("view", "click", "rating", ""), weights,
                attributes).as((user, itemId, type, weight, attrs) -> UserEvent.newBuilder().setUserId(user)
                        .setItemId(itemId).setEventType(type).setWeight(weight).setItemAttributes(attrs).build()));
    }

    /** Items with the payloads given, whole or damaged in every way. */
    private Arbitrary<byte[]> records(Arbitrary<?> payloads) {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(4).ofMaxLength(12),
                Arbitraries.of("", " ", "\u0000"), Arbitraries.strings().ofLength(5_000));
        Arbitrary<Long> times = Arbitraries.oneOf(
                Arbitraries.longs().between(NOW - Duration.ofDays(365L * 40).toMillis(), NOW),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, -1L, 0L, NOW + Duration.ofDays(10).toMillis(),
                        NOW + Duration.ofMinutes(5).toMillis()));
        Arbitrary<byte[]> valid = Combinators.combine(ids, times, payloads).as((id, time, payload) ->
                serde.encode(RawItem.newBuilder().setId(id).setEventTime(Instant.ofEpochMilli(time))
                        .setPayload(payload).build()));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, valid),
                net.jqwik.api.Tuple.of(1, valid.flatMap(b -> Arbitraries.integers().between(0, b.length - 1)
                        .map(n -> java.util.Arrays.copyOf(b, n)))), // truncated
                net.jqwik.api.Tuple.of(2, Combinators.combine(valid, Arbitraries.integers().between(0, 1 << 20),
                        Arbitraries.integers().between(1, 8)).as(RawItemsFuzzIT::bitFlipped)),
                net.jqwik.api.Tuple.of(1, valid.map(RawItemsFuzzIT::unknownFingerprint)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(2_000))); // random
    }

    private static byte[] bitFlipped(byte[] valid, int where, int flips) {
        byte[] b = valid.clone();
        java.util.Random r = new java.util.Random(where);
        for (int i = 0; i < flips; i++) {
            int bit = r.nextInt(b.length * 8);
            b[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return b;
    }

    /** Avro single-object encoding: 2 marker bytes, then the schema's 8-byte fingerprint. */
    private static byte[] unknownFingerprint(byte[] valid) {
        byte[] b = valid.clone();
        for (int i = 2; i < 10 && i < b.length; i++) {
            b[i] = (byte) ~b[i];
        }
        return b;
    }

    private static Arbitrary<ImageItem> images() {
        Arbitrary<Integer> sides = Arbitraries.integers().between(1, 40);
        Arbitrary<ImageItem> raw = Combinators.combine(sides, sides, Arbitraries.of(1, 3),
                Arbitraries.integers().between(-2, 2)).as((w, h, c, sizeError) -> item(w, h, c, ImageEncoding.RAW_U8,
                        new byte[Math.max(0, w * h * c + sizeError * (sizeError == 2 ? 1000 : 1))]));
        Arbitrary<ImageItem> encoded = Combinators.combine(sides, sides, Arbitraries.of("png", "jpeg"))
                .as((w, h, format) -> {
                    byte[] bytes = encode(w, h, format);
                    return item(w, h, format.equals("png") ? 1 : 3, format.equals("png") ? ImageEncoding.PNG
                            : ImageEncoding.JPEG, bytes);
                });
        Arbitrary<ImageItem> absurd = Combinators.combine(
                Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 100_000),
                Arbitraries.of(0, -7, Integer.MAX_VALUE, 65_536), Arbitraries.of(0, 2, 5, -3, 1000),
                Arbitraries.of(ImageEncoding.values())).as((w, h, c, e) -> item(w, h, c, e, new byte[64]));
        Arbitrary<ImageItem> bomb = Arbitraries.of(50_000, 1 << 20, Integer.MAX_VALUE)
                .map(side -> item(side, side, 1, ImageEncoding.PNG, pngClaiming(side)));
        Arbitrary<ImageItem> corrupt = Combinators.combine(Arbitraries.of("png", "jpeg"),
                Arbitraries.integers().between(8, 200)).as((format, keep) -> {
                    byte[] b = encode(16, 16, format);
                    byte[] cut = java.util.Arrays.copyOf(b, Math.min(keep, b.length - 1));
                    return item(16, 16, format.equals("png") ? 1 : 3, format.equals("png") ? ImageEncoding.PNG
                            : ImageEncoding.JPEG, cut);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, raw), net.jqwik.api.Tuple.of(2, encoded),
                net.jqwik.api.Tuple.of(1, absurd), net.jqwik.api.Tuple.of(1, bomb), net.jqwik.api.Tuple.of(1, corrupt));
    }

    private static ImageItem item(int w, int h, int c, ImageEncoding e, byte[] bytes) {
        return ImageItem.newBuilder().setWidth(w).setHeight(h).setChannels(c).setEncoding(e)
                .setBytes(ByteBuffer.wrap(bytes)).build();
    }

    private static byte[] encode(int w, int h, String format) {
        BufferedImage img = new BufferedImage(w, h, format.equals("png") ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 31 + y * 17) * 0x010101);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A small PNG whose header (with a correct CRC) claims a side of {@code side} pixels: a decompression bomb. */
    private static byte[] pngClaiming(int side) {
        byte[] png = encode(8, 8, "png");
        ByteBuffer b = ByteBuffer.wrap(png);
        b.putInt(16, side).putInt(20, side); // IHDR data starts at 16: width, height
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17); // chunk type + 13 bytes of data
        b.putInt(29, (int) crc.getValue());
        return png;
    }
}
