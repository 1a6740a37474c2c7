package io.streamcl.schema.serde;

import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro Serde that needs no schema registry: each record is {@link AvroCodec}'s single-object encoding, the
 * writer schema's 64-bit fingerprint in front of the body ({@code C3 01 | fingerprint | body}).
 *
 * <p>A record written with another schema decodes when that schema is in the {@link SchemaStore} (see
 * {@link WriterSchemas}). An unknown fingerprint, a bad header or a truncated body raise
 * {@link SerializationException}, which the topology turns into a dead letter.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final AvroCodec<T> codec;
    private final boolean large;

    public AvroSerde(Class<T> type, SchemaStore otherWriterSchemas) {
        this(type, otherWriterSchemas, false);
    }

    private AvroSerde(Class<T> type, SchemaStore otherWriterSchemas, boolean large) {
        this.codec = new AvroCodec<>(type, otherWriterSchemas);
        this.large = large;
    }

    /** A Serde that also reads every writer schema shipped under {@code avro/history}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, WriterSchemas.shipped());
    }

    /**
     * As {@link #of}, for records of tens of MB (a model's parameters): each is written straight into an array of
     * its size ({@link AvroCodec#encodeLarge}), at the cost of encoding it twice, rather than through a buffer
     * that doubles as it fills and is copied at the end, three times its size on the heap at once.
     */
    public static <T extends SpecificRecord> AvroSerde<T> ofLarge(Class<T> type) {
        return new AvroSerde<>(type, WriterSchemas.shipped(), true);
    }

    public byte[] encode(T record) {
        return large ? codec.encodeLarge(record) : codec.encode(record);
    }

    /** @throws SerializationException when the bytes are not a record this Serde can read */
    public T decode(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new SerializationException(e.getMessage(), e.getCause());
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> data == null ? null : encode(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }
}
