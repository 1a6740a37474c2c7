package io.streamcl.topology;

import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The gate: decodes raw bytes into a RawItem and validates it with its kind. Good items go, keyed
 * by item id, to their kind's train topic, and to the embedder (items of a kind with entities go keyed
 * by entity, through a topic that partitions them by it); anything else goes whole to the
 * dead-letter topic with the stage and reason, and a counter moves. Never throws on bad input.
 */
final class DecodeProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    private final AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
    private final ItemKinds kinds;
    private final PipelineMetrics metrics;
    private final String deadLetterChild;
    private final String trainChild;
    private final String embedChild;
    private final String entityEmbedChild;
    private ProcessorContext<String, SpecificRecord> context;

    /** The children's names: bad items, the train router, the embedder, the router to entity embedders. */
    DecodeProcessor(ItemKinds kinds, PipelineMetrics metrics, String deadLetterChild, String trainChild,
            String embedChild, String entityEmbedChild) {
        this.kinds = kinds;
        this.metrics = metrics;
        this.deadLetterChild = deadLetterChild;
        this.trainChild = trainChild;
        this.embedChild = embedChild;
        this.entityEmbedChild = entityEmbedChild;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
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
        Optional<ItemKind<?>> kind = kinds.forPayload(item.getPayload());
        if (kind.isEmpty()) {
            reject(record, "validate", "no enabled kind handles payload "
                    + item.getPayload().getClass().getSimpleName());
            return;
        }
        Optional<String> entity;
        try {
            entity = validatedEntity(kind.get(), item);
        } catch (InvalidItemException e) {
            reject(record, "validate", kind.get().name() + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) { // a decoder bug must not stop the stream either
            reject(record, "validate", kind.get().name() + ": unexpected " + e);
            return;
        }
        metrics.itemIn(kind.get().name());
        context.forward(new Record<String, SpecificRecord>(item.getId(), item, record.timestamp()), trainChild);
        context.forward(new Record<String, SpecificRecord>(entity.orElse(item.getId()), item, record.timestamp()),
                entity.isPresent() ? entityEmbedChild : embedChild);
    }

    /** Decodes to validate; returns the entity the item belongs to, if its kind has entities. */
    private static <I> Optional<String> validatedEntity(ItemKind<I> kind, RawItem item) throws InvalidItemException {
        I decoded = kind.decode(item);
        return kind.entityHistory().map(h -> h.entityId(decoded));
    }

    private void reject(Record<byte[], byte[]> record, String stage, String reason) {
        Optional<RecordMetadata> meta = context.recordMetadata();
        DeadLetter letter = DeadLetter.newBuilder()
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setSourceTopic(meta.map(RecordMetadata::topic).orElse("?"))
                .setSourcePartition(meta.map(RecordMetadata::partition).orElse(-1))
                .setSourceOffset(meta.map(RecordMetadata::offset).orElse(-1L))
                .setStage(stage)
                .setReason(reason == null ? "unknown" : reason)
                .setTime(java.time.Instant.now())
                .build();
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        metrics.deadLetter(stage);
        context.forward(new Record<>(key, letter, record.timestamp()), deadLetterChild);
    }
}
