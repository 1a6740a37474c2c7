package io.streamcl.topology;

import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/** Kafka Streams' own clients, but stream threads read through a {@link GapReportingConsumer}. */
final class LearnerClients extends DefaultKafkaClientSupplier {
    private final PipelineMetrics metrics;

    LearnerClients(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
        return new GapReportingConsumer(config, metrics);
    }
}
