package io.streamcl.topology;

import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record the broker refuses (or that does not serialize) becomes a dead letter with the broker's reason,
 * and the stream thread goes on; a counter moves, and its key is remembered in {@link RefusedRecords} so that
 * the item is a dead letter from the decode step on when exactly-once replays it. A retriable error (the
 * broker is away) is retried, as by Kafka Streams' default.
 */
public final class DeadLetterOnRefusal implements ProductionExceptionHandler {
    /** Config keys under which {@link LearnerApp} hands this handler what it needs. */
    static final String REFUSED = "streamcl.refused-records";
    static final String METRICS = "streamcl.metrics";
    static final String TOPIC = "streamcl.dead-letter-topic";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnRefusal.class);

    private final AvroSerde<DeadLetter> serde = AvroSerde.of(DeadLetter.class);
    private RefusedRecords refused;
    private PipelineMetrics metrics;
    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        refused = (RefusedRecords) configs.get(REFUSED);
        metrics = (PipelineMetrics) configs.get(METRICS);
        deadLetterTopic = (String) configs.get(TOPIC);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        return deadLetter(context, record, "publish", "the broker refused the record for topic " + record.topic()
                + ": " + exception);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
            SerializationExceptionOrigin origin) {
        return deadLetter(context, null, "serialize", "the " + origin.name().toLowerCase() + " for topic "
                + record.topic() + " does not serialize: " + exception);
    }

    private Response deadLetter(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, String stage,
            String reason) {
        metrics.deadLetter(stage);
        byte[] key = record != null ? record.key() : context.sourceRawKey();
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        LOG.warn("dead letter (key {}, from {}-{}@{}): {}", keyText, context.topic(), context.partition(),
                context.offset(), reason);
        if (record != null && deadLetterTopic.equals(record.topic())) {
            return Response.resume(); // a dead letter refused: nothing more can be written about it
        }
        if (keyText != null) {
            refused.refused(keyText, reason);
        }
        byte[] value = record != null ? record.value() : context.sourceRawValue();
        DeadLetter letter = DeadLetters.of(key, value, context.topic(), context.partition(), context.offset(), stage,
                reason);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, System.currentTimeMillis(), key,
                serde.encode(letter))));
    }
}
