package io.streamcl.topology;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream threads' consumer, which says when records were deleted before they were read. Kafka
 * Streams resets a position that fell off the start of a partition (time or size retention deleted what it
 * had not read yet) to the earliest offset and says no more than "resetting"; here the records lost are
 * counted ({@code streamcl.input.gap.records}) and logged with topic, partition and offsets, before Kafka
 * Streams goes on from the earliest record left.
 */
final class GapReportingConsumer extends KafkaConsumer<byte[], byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(GapReportingConsumer.class);
    private final PipelineMetrics metrics;

    GapReportingConsumer(Map<String, Object> config, PipelineMetrics metrics) {
        super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.metrics = metrics;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        try {
            return super.poll(timeout);
        } catch (OffsetOutOfRangeException e) {
            e.offsetOutOfRangePartitions().forEach(this::report);
            throw e; // Kafka Streams resets the positions
        }
    }

    private void report(TopicPartition partition, long position) {
        long earliest;
        long end;
        try {
            earliest = beginningOffsets(java.util.List.of(partition)).get(partition);
            end = endOffsets(java.util.List.of(partition)).get(partition);
        } catch (KafkaException e) {
            LOG.error("{}: position {} is out of range and the partition's offsets cannot be read ({}): records may"
                    + " have been deleted before they were read", partition, position, e.getMessage());
            return;
        }
        if (position < earliest) {
            long lost = earliest - position;
            metrics.inputGap(partition.topic(), lost);
            LOG.error("{}: {} records (offsets {} to {}) were deleted before this app read them (retention acts on"
                    + " record timestamps: see the README's Reliability section); going on from offset {}",
                    partition, String.format("%,d", lost), position, earliest - 1, earliest);
        } else if (position > end) {
            LOG.error("{}: position {} is past the partition's end ({}): the topic was truncated or re-created;"
                    + " reading it again from offset {}", partition, position, end, earliest);
        }
    }
}
