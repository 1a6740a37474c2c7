package io.streamcl.cli;

import io.streamcl.config.AuthenticationFailure;
import io.streamcl.config.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning without a consumer group (committed records only) and hands
 * every record to a callback, until the callback's condition holds after the end of the topic is
 * reached, or a deadline passes.
 */
final class TopicScan {
    private TopicScan() {}

    /** @return true when {@code done} held, false on timeout */
    static <V> boolean scan(Map<String, Object> connection, String topic, Deserializer<V> values, Duration timeout,
            Consumer<ConsumerRecord<String, V>> onRecord, BooleanSupplier done) {
        return scanWithTombstones(connection, topic, values, timeout, r -> {
            if (r.value() != null) {
                onRecord.accept(r);
            }
        }, done);
    }

    /** As {@link #scan}, and hands over tombstones (null values) too. */
    static <V> boolean scanWithTombstones(Map<String, Object> connection, String topic, Deserializer<V> values,
            Duration timeout, Consumer<ConsumerRecord<String, V>> onRecord, BooleanSupplier done) {
        try {
            return read(connection, topic, values, timeout, onRecord, done);
        } catch (KafkaException e) {
            AuthenticationFailure.rethrowIfAny(e, connection);
            throw e;
        }
    }

    private static <V> boolean read(Map<String, Object> connection, String topic, Deserializer<V> values,
            Duration timeout, Consumer<ConsumerRecord<String, V>> onRecord, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(KafkaClients.config(connection, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "streamcl-scan-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20)),
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, V> r : PollPastUndecodable.poll(consumer, Duration.ofMillis(200))) {
                    onRecord.accept(r);
                }
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                boolean caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                if (caughtUp && done.getAsBoolean()) {
                    return true;
                }
            }
            return false;
        }
    }
}
