package io.streamcl.bench;

import io.streamcl.config.KafkaClients;
import io.streamcl.config.Settings;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the embedding-status topic from its beginning as a consumer of the feed would, committed records
 * only, into {@link CompletionMarkers}. Not thread-safe: one thread polls it.
 */
final class StatusFollower implements AutoCloseable {
    private final KafkaConsumer<String, EmbeddingStatus> consumer;
    private final CompletionMarkers markers = new CompletionMarkers();

    StatusFollower(Settings s) {
        consumer = new KafkaConsumer<>(KafkaClients.config(s.kafkaClientProperties(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), AvroSerde.of(EmbeddingStatus.class).deserializer());
        String topic = s.get(Settings.TOPIC_STATUS);
        consumer.assign(consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList());
    }

    /** Reads what is new, waiting at most 20 ms for it; returns every marker read so far. */
    CompletionMarkers poll() {
        for (ConsumerRecord<String, EmbeddingStatus> r : consumer.poll(Duration.ofMillis(20))) {
            if (r.value() != null) {
                markers.add(r.value());
            }
        }
        return markers;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
