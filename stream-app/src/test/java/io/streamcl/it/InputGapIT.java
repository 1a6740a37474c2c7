package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.TopicReader;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
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
        Settings settings = InJvmLearner.settings(broker, tmp, "gap-it");
        String raw = settings.get(Settings.TOPIC_RAW_ITEMS);
        app = LearnerApp.start(settings, new PipelineMetrics());
        InJvmLearner.produceImages(settings, "a-", 40);
        InJvmLearner.awaitEmbedded(settings, idsOn(broker, raw));
        app.close();
        app = null;

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            Map<TopicPartition, Long> readUpTo = ends(admin, raw);
            InJvmLearner.produceImages(settings, "b-", 100);
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
            InJvmLearner.awaitEmbedded(settings, kept);
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

    /** The ids on a raw-items topic now, from its first record left. */
    private static Set<String> idsOn(Broker broker, String topic) {
        return TopicReader.readUntil(broker.bootstrapServers(), topic, new ByteArrayDeserializer(), got -> true,
                Duration.ofSeconds(30)).stream().map(r -> AvroSerde.of(RawItem.class).decode(r.value()).getId())
                .collect(Collectors.toSet());
    }
}
