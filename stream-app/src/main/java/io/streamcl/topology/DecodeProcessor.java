package io.streamcl.topology;

import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The gate: decodes raw bytes into a RawItem and validates it with its kind. Good items go, keyed
 * by item id, to their kind's train topic, and, decoded, to the embedder (items of a kind with entities go
 * keyed by entity, through a topic that partitions them by it); anything else goes whole to the
 * dead-letter topic with the stage and reason, and a counter moves. Never throws on bad input.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, Object> {
    private final AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
    private final ItemKinds kinds;
    private final PipelineMetrics metrics;
    private final String deadLetterChild;
    private final String trainChild;
    private final String embedChild;
    private final String entityEmbedChild;
    private final long maxFutureMillis;
    private final RefusedRecords refused;
    private ProcessorContext<String, Object> context;

    /**
     * @param maxFuture how far ahead of this clock an event time may be
     * @param refused keys whose records the broker refused: their items are dead letters from now on
     * @param children the children's names: bad items, the train router, the embedder, the router to entity
     *     embedders
     */
    DecodeProcessor(ItemKinds kinds, PipelineMetrics metrics, Duration maxFuture, RefusedRecords refused,
            String deadLetterChild, String trainChild, String embedChild, String entityEmbedChild) {
        this.kinds = kinds;
        this.metrics = metrics;
        this.maxFutureMillis = maxFuture.toMillis();
        this.refused = refused;
        this.deadLetterChild = deadLetterChild;
        this.trainChild = trainChild;
        this.embedChild = embedChild;
        this.entityEmbedChild = entityEmbedChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            reject(record, "decode", "empty value (tombstone): a RawItem is required");
            return;
        }
        RawItem item;
        try {
            item = serde.decode(record.value());
        } catch (SerializationException e) {
            reject(record, "decode", e.getMessage());
            return;
        }
        if (item.getId() == null || item.getId().isBlank()) {
            reject(record, "validate", "item id is empty");
            return;
        }
        long eventMillis = item.getEventTime().toEpochMilli();
        long ahead = eventMillis > context.currentSystemTimeMs() ? eventMillis - context.currentSystemTimeMs() : 0;
        if (ahead > maxFutureMillis) {
            reject(record, "validate", "event time " + item.getEventTime() + " is " + Duration.ofMillis(ahead)
                    + " ahead of this clock (event-time.max-future-ms=" + maxFutureMillis + ")");
            return;
        }
        Optional<ItemKind<?>> kind = kinds.forItem(item);
        if (kind.isEmpty()) {
            reject(record, "validate", "no enabled kind handles payload "
                    + item.getPayload().getClass().getSimpleName());
            return;
        }
        DecodedItem<?> decoded;
        Optional<String> entity;
        try {
            decoded = DecodedItem.decode(kind.get(), item);
            entity = decoded.entity();
        } catch (InvalidItemException e) {
            reject(record, "validate", kind.get().name() + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) { // a decoder bug must not stop the stream either
            reject(record, "validate", kind.get().name() + ": unexpected " + e);
            return;
        }
        Optional<String> refusal = refused.reason(item.getId()).or(() -> entity.flatMap(refused::reason));
        if (refusal.isPresent()) { // replayed after the broker refused what it made: see RefusedRecords
            reject(record, "publish", refusal.get());
            return;
        }
        metrics.itemIn(kind.get().name());
        // every record the app writes is stamped with the time it was written; event time is in the item
        long now = context.currentSystemTimeMs();
        context.forward(new Record<String, Object>(item.getId(), item, now), trainChild);
        if (entity.isPresent()) { // through a topic that partitions by entity, where it is decoded again
            context.forward(new Record<String, Object>(entity.get(), item, now), entityEmbedChild);
        } else { // the embedder is in this task: it takes the item as decoded here
            context.forward(new Record<String, Object>(item.getId(), decoded, now), embedChild);
        }
    }

    private void reject(Record<byte[], byte[]> record, String stage, String reason) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        DeadLetter letter = DeadLetters.of(record.key(), record.value(), meta.map(RecordMetadata::topic).orElse("?"),
                meta.map(RecordMetadata::partition).orElse(-1), meta.map(RecordMetadata::offset).orElse(-1L), stage,
                reason);
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        metrics.deadLetter(stage);
        context.forward(new Record<>(key, letter, context.currentSystemTimeMs()), deadLetterChild);
    }
}
