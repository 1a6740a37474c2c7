package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.TopicReader;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records deleted from raw-items while the learner was down (as time retention would) are counted and
 * logged when it comes back, and the rest is embedded; state left under another cluster's id is wiped.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 240)
class InputGapIT {
    private static final Map<String, String> SMALL = Map.ofEntries(
            Map.entry("kinds", "image"), Map.entry("batch.size", "4"), Map.entry("replay.capacity", "8"),
            Map.entry("replay.updates-per-item", "2"), Map.entry("bank.size", "16"),
            Map.entry("snapshot.every-steps", "2"), Map.entry("image.size", "8"),
            Map.entry("image.conv-channels", "4"), Map.entry("embedding.dim", "16"), Map.entry("projection.dim", "8"),
            Map.entry("batch.linger.ms", "200"), Map.entry("device", "cpu"), Map.entry("topic.partitions", "2"));
    private static final int KEPT_PER_PARTITION = 5;

    @TempDir
    Path tmp;

    private LearnerApp app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void recordsDeletedBeforeTheyWereReadAreCountedAndTheRestIsEmbedded(Broker broker) throws Exception {
        Settings settings = settings(broker);
        String raw = settings.get(Settings.TOPIC_RAW_ITEMS);
        String embeddings = settings.get(Settings.TOPIC_EMBEDDINGS);
        app = LearnerApp.start(settings, new PipelineMetrics());
        produce(broker, raw, "a-", 40);
        awaitEmbedded(broker, embeddings, idsOn(broker, raw));
        app.close();
        app = null;

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, Long> readUpTo = ends(admin, raw);
            produce(broker, raw, "b-", 100);
            Map<TopicPartition, Long> ends = ends(admin, raw);
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            long lost = 0;
            for (TopicPartition p : ends.keySet()) {
                long before = ends.get(p) - KEPT_PER_PARTITION;
                assertThat(before).as("records to delete on " + p).isGreaterThan(readUpTo.get(p));
                delete.put(p, RecordsToDelete.beforeOffset(before));
                lost += before - readUpTo.get(p);
            }
            admin.deleteRecords(delete).all().get(); // what retention does to records stamped long ago

            Path appState = Path.of(settings.get(Settings.STATE_DIR), settings.get(Settings.APPLICATION_ID));
            String cluster = admin.describeCluster().clusterId().get();
            Files.writeString(appState.resolve(".streamcl-cluster-id"), "another-cluster\n");

            PipelineMetrics metrics = new PipelineMetrics();
            app = LearnerApp.start(settings, metrics);
            long expectedLost = lost;
            await().atMost(Duration.ofSeconds(120)).until(() -> metrics.inputGaps(raw) == expectedLost);
            Set<String> kept = idsOn(broker, raw);
            assertThat(kept).hasSize(2 * KEPT_PER_PARTITION);
            awaitEmbedded(broker, embeddings, kept);
            System.out.printf("[InputGapIT] %d records deleted before they were read: %d counted; the %d left"
                    + " embedded%n", lost, metrics.inputGaps(raw), kept.size());
            assertThat(Files.readString(appState.resolve(".streamcl-cluster-id")).strip())
                    .as("the state directory now belongs to this cluster").isEqualTo(cluster);
        }
    }

    private static Map<TopicPartition, Long> ends(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < 2; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static void produce(Broker broker, String topic, String prefix, int n) {
        Random random = new Random(prefix.hashCode());
        try (RawItemProducer producer = new RawItemProducer(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()), topic)) {
            for (int i = 0; i < n; i++) {
                byte[] pixels = new byte[64];
                random.nextBytes(pixels);
                producer.send(RawItems.image(prefix + i, 1_000L, RawItems.rawU8(8, 8, 1, pixels)));
            }
            producer.flush();
            assertThat(producer.acked()).isEqualTo(n);
        }
    }

    /** The ids on a raw-items topic now, from its first record left. */
    private static Set<String> idsOn(Broker broker, String topic) {
        return TopicReader.readUntil(broker.bootstrapServers(), topic, new ByteArrayDeserializer(), got -> true,
                Duration.ofSeconds(30)).stream().map(r -> AvroSerde.of(RawItem.class).decode(r.value()).getId())
                .collect(Collectors.toSet());
    }

    private static void awaitEmbedded(Broker broker, String topic, Set<String> ids) {
        List<ConsumerRecord<String, Embedding>> got = TopicReader.readUntil(broker.bootstrapServers(), topic,
                AvroSerde.of(Embedding.class).deserializer(),
                records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(ids),
                Duration.ofSeconds(90));
        assertThat(got.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).containsAll(ids);
    }

    private Settings settings(Broker broker) throws java.io.IOException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> overrides = new LinkedHashMap<>(SMALL);
        overrides.put("bootstrap.servers", broker.bootstrapServers());
        overrides.put("application.id", "gap-it-" + suffix);
        overrides.put("state.dir", Files.createDirectories(tmp.resolve("state")).toString());
        overrides.put("topic.raw-items", "raw-items-" + suffix);
        overrides.put("topic.dead-letters", "raw-items-dlq-" + suffix);
        overrides.put("topic.models", "models-" + suffix);
        overrides.put("topic.embeddings", "embeddings-" + suffix);
        overrides.put("topic.embedding-status", "embedding-status-" + suffix);
        overrides.put("topic.train-prefix", "train-" + suffix + "-");
        return Settings.defaults().with(overrides);
    }
}
