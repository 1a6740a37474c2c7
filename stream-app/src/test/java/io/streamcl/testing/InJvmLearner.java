package io.streamcl.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.serde.AvroSerde;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A tiny image learner's settings, on topics of its own, and what tests of it send and wait for. */
public final class InJvmLearner {
    /** A tiny but real model so that a training step takes milliseconds. */
    private static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("kinds", "image"), Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"),
            Map.entry("replay.updates-per-item", "2"), Map.entry("bank.size", "16"),
            Map.entry("snapshot.every-steps", "2"), Map.entry("image.size", "8"),
            Map.entry("image.conv-channels", "4"), Map.entry("embedding.dim", "16"), Map.entry("projection.dim", "8"),
            Map.entry("batch.linger.ms", "200"), Map.entry("device", "cpu"), Map.entry("topic.partitions", "2"));

    private InJvmLearner() {}

    /** Settings for the broker, with topics, application id and state directory (under {@code tmp}) of its own. */
    public static Settings settings(KafkaBrokerExtension.Broker broker, Path tmp, String name) throws IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> overrides = new LinkedHashMap<>(SMALL);
        overrides.put("bootstrap.servers", broker.bootstrapServers());
        overrides.put("application.id", name + "-" + suffix);
        overrides.put("state.dir", Files.createDirectories(tmp.resolve("state")).toString());
        overrides.put("topic.raw-items", "raw-items-" + suffix);
        overrides.put("topic.dead-letters", "raw-items-dlq-" + suffix);
        overrides.put("topic.models", "models-" + suffix);
        overrides.put("topic.embeddings", "embeddings-" + suffix);
        overrides.put("topic.embedding-status", "embedding-status-" + suffix);
        overrides.put("topic.train-prefix", "train-" + suffix + "-");
        return KindRegistry.standard().defaultSettings().with(overrides);
    }

    /** Sends {@code n} random 8x8 images with ids {@code <prefix><index>}, and waits for the acknowledgements. */
    public static void produceImages(Settings settings, String prefix, int n) {
        Random random = new Random(prefix.hashCode());
        try (RawItemProducer producer = new RawItemProducer(settings.kafkaClientProperties(),
                settings.get(Settings.TOPIC_RAW_ITEMS), KindRegistry.standard()::partitionKey)) {
            for (int i = 0; i < n; i++) {
                byte[] pixels = new byte[64];
                random.nextBytes(pixels);
                producer.send(RawItems.image(prefix + i, 1_000L, RawItems.rawU8(8, 8, 1, pixels)));
            }
            producer.flush();
            assertThat(producer.acked()).isEqualTo(n);
        }
    }

    /** Waits until every id has an embedding on the settings' embeddings topic; fails if one has none in 90 s. */
    public static void awaitEmbedded(Settings settings, Set<String> ids) {
        List<ConsumerRecord<String, Embedding>> got = TopicReader.readUntil(settings.get(Settings.BOOTSTRAP_SERVERS),
                settings.get(Settings.TOPIC_EMBEDDINGS), AvroSerde.of(Embedding.class).deserializer(),
                records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(ids),
                Duration.ofSeconds(90));
        assertThat(got.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).containsAll(ids);
    }
}
