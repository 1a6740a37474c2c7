package io.streamcl.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro Serde that needs no schema registry: Avro single-object encoding puts the writer schema's
 * 64-bit fingerprint in front of every record ({@code C3 01 | fingerprint | body}).
 *
 * <p>A record written with the current schema decodes directly. One written with another schema
 * decodes when that schema is in the {@link SchemaStore} (see {@link WriterSchemas}); Avro then
 * resolves it to the current reader schema (defaults fill new fields). An unknown fingerprint, a
 * bad header or a truncated body raise {@link SerializationException}, which the topology turns
 * into a dead letter.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final String typeName;

    public AvroSerde(Class<T> type, SchemaStore otherWriterSchemas) {
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, reader);
        this.decoder = new BinaryMessageDecoder<>(model, reader, otherWriterSchemas);
        this.typeName = reader.getName();
    }

    /** A Serde that also reads every writer schema shipped under {@code avro/history}. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type, WriterSchemas.shipped());
    }

    public byte[] encode(T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** @throws SerializationException when the bytes are not a record this Serde can read */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) { // BadHeaderException, MissingSchemaException, EOF...
            throw new SerializationException("not a readable " + typeName + ": " + e.getMessage(), e);
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
