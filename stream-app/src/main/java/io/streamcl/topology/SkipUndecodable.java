package io.streamcl.topology;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record of one of the app's own topics that does not decode (garbage written to the models topic, say)
 * is skipped with one log line and a counter, and every store keeps what it had: such a record must not stop
 * the instance. {@code raw-items} is read as bytes and never gets here (its bad records are dead letters).
 */
public final class SkipUndecodable implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SkipUndecodable.class);
    private PipelineMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        metrics = (PipelineMetrics) configs.get(DeadLetterOnRefusal.METRICS);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (metrics != null) {
            metrics.undecodable(record.topic());
        }
        LOG.warn("skipped a record of {}-{} at offset {} that does not decode: {}", record.topic(),
                record.partition(), record.offset(), exception.getMessage());
        return Response.resume();
    }
}
