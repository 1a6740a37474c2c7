package io.streamcl.topology;

import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes the items of one kind as they come back from the topic that re-keys them by entity, once, for
 * the entity embedder. They were validated before that topic, so only a limit changed between the two
 * reads makes one fail here: it becomes a dead letter, as it would have at the gate.
 */
final class RekeyedItemDecoder implements Processor<String, RawItem, String, Object> {
    private final AvroSerde<RawItem> serde = AvroSerde.of(RawItem.class);
    private final ItemKind<?> kind;
    private final PipelineMetrics metrics;
    private final String embedChild;
    private ProcessorContext<String, Object> context;

    RekeyedItemDecoder(ItemKind<?> kind, PipelineMetrics metrics, String embedChild) {
        this.kind = kind;
        this.metrics = metrics;
        this.embedChild = embedChild;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, RawItem> record) {
        try {
            context.forward(record.withValue(DecodedItem.decode(kind, record.value())), embedChild);
        } catch (InvalidItemException e) {
            metrics.deadLetter("embed");
            String id = record.value().getId();
            context.forward(new Record<>(record.key(), DeadLetters.of(id.getBytes(StandardCharsets.UTF_8),
                    serde.encode(record.value()),
                    context.recordMetadata().map(m -> m.topic()).orElse("?"), context.taskId().partition(),
                    context.recordMetadata().map(m -> m.offset()).orElse(-1L), "embed",
                    kind.name() + " no longer decodes: " + e.getMessage()), context.currentSystemTimeMs()),
                    LearnerTopology.DEAD_LETTER_SINK);
        }
    }
}
