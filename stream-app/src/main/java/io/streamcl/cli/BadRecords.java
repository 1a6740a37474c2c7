package io.streamcl.cli;

import io.streamcl.ingest.RawItems;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A few records the learner must refuse, so the demo shows where they go. */
final class BadRecords {
    private BadRecords() {}

    static void send(Map<String, Object> connection, String topic) {
        RawItem wrongSize = RawItems.image("bad-size", System.currentTimeMillis(), RawItems.rawU8(28, 28, 1, new byte[100]));
        byte[] truncated = AvroSerde.of(RawItem.class).encode(wrongSize);
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(
                connection, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, bytes("bad-garbage"), bytes("this is not Avro")));
            p.send(new ProducerRecord<>(topic, bytes("bad-size"), AvroSerde.of(RawItem.class).encode(wrongSize)));
            p.send(new ProducerRecord<>(topic, bytes("bad-truncated"), java.util.Arrays.copyOf(truncated, 40)));
            p.flush();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
