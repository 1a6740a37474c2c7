package io.streamcl.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads whole topics in tests, committed records only, as a downstream consumer would see them. */
public final class TopicReader {
    private TopicReader() {}

    /**
     * Reads a topic from the beginning up to its current end, again and again, until {@code done} holds for
     * what was read, or the timeout passes (then returns what it has).
     */
    public static <V> List<ConsumerRecord<String, V>> readUntil(String bootstrap, String topic, Deserializer<V> values,
            Predicate<List<ConsumerRecord<String, V>>> done, Duration timeout) {
        List<ConsumerRecord<String, V>> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20), new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                boolean caughtUp = partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                if (caughtUp && done.test(got)) {
                    break;
                }
            }
        }
        return got;
    }

    /** The (id, version) pairs published more than once on an embeddings topic, as "id@vN". */
    public static List<String> repeatedPairs(String bootstrap, String topic) {
        return repeatedPairs(embeddings(bootstrap, topic));
    }

    /** The (id, version) pairs that come more than once among these embeddings, as "id@vN". */
    public static List<String> repeatedPairs(List<ConsumerRecord<String, io.streamcl.schema.Embedding>> embeddings) {
        java.util.Set<String> pairs = new java.util.HashSet<>();
        List<String> repeated = new ArrayList<>();
        for (ConsumerRecord<String, io.streamcl.schema.Embedding> r : embeddings) {
            String pair = r.value().getId() + "@v" + r.value().getModel().getVersion();
            if (!pairs.add(pair)) {
                repeated.add(pair);
            }
        }
        return repeated;
    }

    /**
     * Reads an embeddings topic until each of the ids has an embedding, or the timeout passes; returns all it
     * read (the caller checks which ids are there).
     */
    public static List<ConsumerRecord<String, io.streamcl.schema.Embedding>> awaitEmbeddings(String bootstrap,
            String topic, java.util.Set<String> ids, Duration timeout) {
        java.util.Set<String> missing = new java.util.HashSet<>(ids);
        int[] checked = {0};
        return readUntil(bootstrap, topic, io.streamcl.schema.serde.AvroSerde.of(io.streamcl.schema.Embedding.class)
                .deserializer(), got -> {
                    for (; checked[0] < got.size(); checked[0]++) {
                        missing.remove(got.get(checked[0]).value().getId().toString());
                    }
                    return missing.isEmpty();
                }, timeout);
    }

    /** The keys of every record on a topic now (a dead-letter topic's keys are the ids of the items it holds). */
    public static java.util.Set<String> keys(String bootstrap, String topic) {
        return readUntil(bootstrap, topic, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                got -> true, Duration.ofSeconds(60)).stream().map(ConsumerRecord::key)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
    }

    /** Everything on an embeddings topic now. */
    public static List<ConsumerRecord<String, io.streamcl.schema.Embedding>> embeddings(String bootstrap, String topic) {
        return readUntil(bootstrap, topic, io.streamcl.schema.serde.AvroSerde.of(io.streamcl.schema.Embedding.class)
                .deserializer(), got -> true, Duration.ofSeconds(60));
    }
}
