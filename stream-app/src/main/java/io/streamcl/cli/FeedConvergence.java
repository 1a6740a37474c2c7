package io.streamcl.cli;

import io.streamcl.config.AuthenticationFailure;
import io.streamcl.config.KafkaClients;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.kind.EventKind;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Whether what a consumer holds of the embeddings topic has converged, by what the app itself publishes:
 * for each kind, every id is on the kind's served version (models topic), every partition has marked that
 * version complete (status topic), and the trainer has nothing left to learn (its newest snapshot was made
 * with no uses pending, after at least as many items as there are ids) nor to promote (no version newer than
 * the served one passed the gate, unless a pin holds serving back). It follows both topics as they grow.
 */
final class FeedConvergence implements AutoCloseable {
    private final KafkaConsumer<String, ModelSnapshot> models;
    private final KafkaConsumer<String, EmbeddingStatus> statuses;
    private final ModelRegistry registry = new ModelRegistry();
    private final Map<String, EmbeddingStatus> markers = new HashMap<>();

    FeedConvergence(Map<String, Object> connection, String modelsTopic, String statusTopic) {
        try {
            models = follow(connection, modelsTopic, AvroSerde.of(ModelSnapshot.class).deserializer());
            statuses = follow(connection, statusTopic, AvroSerde.of(EmbeddingStatus.class).deserializer());
        } catch (KafkaException e) {
            AuthenticationFailure.rethrowIfAny(e, connection);
            throw e;
        }
    }

    private static <V> KafkaConsumer<String, V> follow(Map<String, Object> connection, String topic,
            Deserializer<V> values) {
        KafkaConsumer<String, V> c = new KafkaConsumer<>(KafkaClients.config(connection, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "streamcl-converged-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20)), new StringDeserializer(), values);
        List<TopicPartition> partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        return c;
    }

    /**
     * Reads what is new on both topics, then checks the exported rows.
     *
     * @return what is still missing, one line per kind; empty when the feed has converged
     */
    List<String> missing(Collection<ExportedEmbedding> rows) {
        drain(models, r -> registry.add(r.key(), r.value(), null));
        drain(statuses, r -> {
            if (r.value() != null) {
                markers.put(r.key(), r.value());
            }
        });
        Map<String, List<ExportedEmbedding>> byKind = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (ExportedEmbedding e : rows) {
            Optional<String> kind = registry.kindOfModel(e.modelName());
            if (kind.isEmpty()) {
                missing.add(e.id() + ": model " + e.modelName() + " is not on the models topic (yet)");
                return missing;
            }
            byKind.computeIfAbsent(kind.get(), k -> new ArrayList<>()).add(e);
        }
        byKind.forEach((kind, list) -> missing.addAll(missing(kind, list)));
        return missing;
    }

    private List<String> missing(String kind, List<ExportedEmbedding> rows) {
        Optional<ModelSnapshot> served = registry.served(kind);
        if (served.isEmpty()) {
            return List.of(kind + ": no version is served yet");
        }
        long v = served.get().getVersion();
        List<String> missing = new ArrayList<>();
        long behind = rows.stream().filter(e -> e.modelVersion() != v).count();
        if (behind > 0) {
            missing.add(String.format("%s: %,d of %,d ids are not on the served v%d yet", kind, behind, rows.size(), v));
        }
        EmbeddingStatus first = markers.get(kind + "/0");
        int partitions = first == null ? 0 : first.getPartitions();
        long complete = markers.values().stream().filter(s -> s.getKind().equals(kind) && s.getVersion() == v).count();
        if (first == null || complete < partitions) {
            missing.add(String.format("%s: v%d is marked complete on %d of %s partitions", kind, v, complete,
                    first == null ? "its" : Integer.toString(partitions)));
        }
        // every id was given to the trainer at least once (an event gives one item and one user)
        long given = Math.max(rows.stream().filter(e -> !e.kind().equals(EventKind.USER)).count(),
                rows.stream().filter(e -> e.kind().equals(EventKind.USER)).count());
        registry.newest(kind).ifPresent(n -> {
            double pending = n.getMetrics().getOrDefault("pending_uses", 0.0);
            double offered = n.getMetrics().getOrDefault("items_offered", 0.0);
            boolean idle = n.getMetrics().getOrDefault("caught_up", 0.0) == 1.0 && pending == 0;
            if (!idle) {
                missing.add(String.format("%s: the trainer is still learning (v%d, %.0f uses pending)", kind,
                        n.getVersion(), pending));
            } else if (offered < given) {
                missing.add(String.format("%s: the trainer's newest snapshot v%d learned from %.0f items; %d ids are"
                        + " exported", kind, n.getVersion(), offered, given));
            } else if (registry.pinned(kind).isEmpty()) {
                // not only the newest: a refused last version leaves the one before it waiting for its promotion
                registry.newestPassed(kind).filter(p -> p.getVersion() > v).ifPresent(p -> missing.add(String.format(
                        "%s: v%d passed the gate and waits to be promoted", kind, p.getVersion())));
            }
        });
        return missing;
    }

    private static <V> void drain(KafkaConsumer<String, V> c, java.util.function.Consumer<ConsumerRecord<String, V>> to) {
        while (true) {
            var records = PollPastUndecodable.poll(c, Duration.ofMillis(100));
            records.forEach(to);
            Map<TopicPartition, Long> ends = c.endOffsets(c.assignment());
            if (records.isEmpty() && c.assignment().stream().allMatch(p -> c.position(p) >= ends.get(p))) {
                return;
            }
        }
    }

    @Override
    public void close() {
        models.close();
        statuses.close();
    }
}
