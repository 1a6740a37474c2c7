package io.streamcl.bench;

import io.streamcl.config.KafkaClients;
import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The time from producing an item to its embedding becoming readable, at a fixed offered rate, with
 * training on: what a user of the embedding feed waits. The clock starts when the item is handed to the
 * producer and stops when a {@code read_committed} consumer of the embeddings topic receives it, so it
 * covers the producer's linger, the broker, decoding, the embedder's batching and the exactly-once commit.
 *
 * <p>Items are sent on a fixed schedule (item i at {@code i / rate} seconds), not as fast as the pipeline
 * accepts them, so a slow pipeline shows as latency, not as a lower rate. A warm-up at the same rate comes
 * first and is not counted: the consumer group forming and the first model are start-up, not latency.
 */
public final class LatencyProbe {

    /**
     * @param measured items whose latency was measured
     * @param millis their latencies, sorted
     */
    public record Result(double offeredPerSecond, int measured, double[] millis) {
        public double percentile(double p) {
            return Percentiles.of(millis, p);
        }

        public double max() {
            return millis.length == 0 ? Double.NaN : millis[millis.length - 1];
        }
    }

    private LatencyProbe() {}

    /**
     * @param pool items to send, cycled with fresh ids
     * @param perSecond the offered rate
     */
    public static Result run(Settings settings, String applicationId, List<RawItem> pool, double perSecond,
            Duration warmup, Duration measure) throws InterruptedException {
        if (pool.isEmpty() || !(perSecond > 0)) {
            throw new IllegalArgumentException("need items and a positive rate, got " + pool.size() + " items at "
                    + perSecond + "/s");
        }
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        try (BenchPipeline p = BenchPipeline.start(settings, applicationId)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> read(p.settings(), sentAt, latencies, stop), "latency-reader");
            reader.start();
            try {
                send(p, pool, perSecond, warmup, "warmup-", null);
                int measured = send(p, pool, perSecond, measure, "timed-", sentAt);
                p.flush();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (latencies.size() < measured && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                if (latencies.size() < measured) {
                    throw new IllegalStateException("only " + latencies.size() + " of " + measured
                            + " timed items were embedded within 60 s");
                }
            } finally {
                stop.set(true);
                reader.join();
            }
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new Result(perSecond, sorted.length, sorted);
    }

    /**
     * Sends on schedule for the duration; records send times when {@code sentAt} is given. Package-visible:
     * {@link FreshItems} times items with the same clock while a backfill runs.
     */
    static int send(BenchPipeline p, List<RawItem> pool, double perSecond, Duration duration, String prefix,
            Map<String, Long> sentAt) {
        int n = (int) Math.round(perSecond * duration.toNanos() / 1e9);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = t0 + (long) (i * 1e9 / perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            RawItem template = pool.get(i % pool.size());
            String id = prefix + i;
            RawItem item = RawItem.newBuilder(template).setId(id).setEventTime(Instant.now()).build();
            if (sentAt != null) {
                sentAt.put(id, System.nanoTime());
            }
            p.send(item);
        }
        return n;
    }

    /** Until {@code stop}, times every embedding read whose id is in {@code sentAt}, and forgets the id. */
    static void read(Settings s, Map<String, Long> sentAt, List<Double> latencies, AtomicBoolean stop) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.config(s.kafkaClientProperties(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = s.get(Settings.TOPIC_EMBEDDINGS);
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < s.get(Settings.TOPIC_PARTITIONS); i++) {
                partitions.add(new TopicPartition(topic, i));
            }
            consumer.assign(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    Long sent = sentAt.remove(r.key());
                    if (sent != null) {
                        latencies.add((System.nanoTime() - sent) / 1e6);
                    }
                }
            }
        }
    }
}
