package io.streamcl.cli;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;

/**
 * A poll that steps over a record its deserializer cannot read (garbage written to the models topic, say),
 * saying so on stderr: one such record must not make `models`, `export` or `export-model` fail, nor read
 * it again forever.
 */
final class PollPastUndecodable {
    private PollPastUndecodable() {}

    static <K, V> ConsumerRecords<K, V> poll(KafkaConsumer<K, V> consumer, Duration timeout) {
        try {
            return consumer.poll(timeout);
        } catch (RecordDeserializationException e) {
            System.err.printf("skipped a record of %s at offset %d that does not decode: %s%n", e.topicPartition(),
                    e.offset(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return ConsumerRecords.empty();
        }
    }
}
