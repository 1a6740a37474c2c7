package io.streamcl.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How many items a learner in another process has processed, read where its users read it: distinct ids
 * on the embeddings topic, {@code read_committed}. A backfill re-embeds ids already counted, so the count
 * is of ids, not records; ids are {@code <prefix><n>}, and any other key is not one of ours.
 */
final class EmbeddedItems implements AutoCloseable {
    private final DistinctIds ids;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread reader;
    private volatile RuntimeException failure;

    EmbeddedItems(String bootstrapServers, String topic, int partitions, String prefix) {
        this.ids = new DistinctIds(prefix);
        reader = new Thread(() -> {
            try {
                read(bootstrapServers, topic, partitions);
            } catch (RuntimeException e) {
                failure = e;
            }
        }, "embedded-items-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Distinct items embedded so far; fails once the reader has failed, so that a soak does not wait on it. */
    long count() {
        if (failure != null) {
            throw new IllegalStateException("reading the embeddings topic failed", failure);
        }
        return ids.count();
    }

    private void read(String bootstrapServers, String topic, int partitions) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    ids.add(r.key());
                }
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        reader.join();
    }
}
