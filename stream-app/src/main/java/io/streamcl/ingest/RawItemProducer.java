package io.streamcl.ingest;

import io.streamcl.config.KafkaClients;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends RawItems (Avro single-object encoded, key = item id) to a topic, idempotently. An item whose kind
 * gives it a partition key (a user event: its user) goes to the partition Kafka would place that key on, so
 * that items sharing it stay in the order they were sent: a user's history and session pairs depend on it.
 */
public final class RawItemProducer implements AutoCloseable {
    private final KafkaProducer<String, RawItem> producer;
    private final String topic;
    private final Function<RawItem, Optional<String>> partitionKey;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private int partitions;

    /**
     * @param connection   bootstrap and security, as {@link io.streamcl.config.Settings#kafkaClientProperties()}
     * @param partitionKey the key whose partition an item goes to where it is not the item's id, as its kind says
     *                     (the kind registry's {@code partitionKey})
     */
    public RawItemProducer(Map<String, Object> connection, String topic,
            Function<RawItem, Optional<String>> partitionKey) {
        this.topic = topic;
        this.partitionKey = partitionKey;
        this.producer = new KafkaProducer<>(KafkaClients.config(connection, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20)),
                new StringSerializer(), AvroSerde.of(RawItem.class).serializer());
    }

    /** Sends asynchronously; see {@link #acked()} and {@link #failed()} after {@link #flush()}. */
    public void send(RawItem item) {
        Integer partition = partitionKey.apply(item).map(this::partitionOf).orElse(null);
        // no record timestamp: the producer stamps the time of sending. The event time is in the item; as a
        // record timestamp, a replay of years-old events would be deleted by time retention before it was read
        producer.send(new ProducerRecord<>(topic, partition, null, item.getId(), item), (meta, error) -> {
            if (error == null) {
                acked.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstError.compareAndSet(null, error);
            }
        });
    }

    private int partitionOf(String key) {
        if (partitions == 0) {
            partitions = producer.partitionsFor(topic).size();
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public void flush() {
        producer.flush();
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    /** The first send error, if any, to tell the user why. */
    public Exception firstError() {
        return firstError.get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
