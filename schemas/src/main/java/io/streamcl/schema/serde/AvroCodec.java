package io.streamcl.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type ({@code C3 01 | writer schema fingerprint | body}), with no
 * Kafka in sight: what state kept outside a topic (checkpoints, histories) is written with, and what
 * {@link AvroSerde} wraps. The fingerprint is the record's version: a reader decodes the current schema and
 * any in its {@link SchemaStore}, resolved to the current one (defaults fill new fields).
 */
public final class AvroCodec<T extends SpecificRecord> {
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final String typeName;

    public AvroCodec(Class<T> type, SchemaStore otherWriterSchemas) {
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, reader);
        this.decoder = new BinaryMessageDecoder<>(model, reader, otherWriterSchemas);
        this.typeName = reader.getName();
    }

    /** A codec that also reads every writer schema shipped under {@code avro/history}. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, WriterSchemas.shipped());
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

    /**
     * @throws IllegalArgumentException when the bytes are not a record this codec reads: no header, another
     *     record or a version of this one it does not know, or a body cut short
     */
    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (IOException | RuntimeException e) { // BadHeaderException, MissingSchemaException, EOF...
            throw new IllegalArgumentException("not a readable " + typeName + ": " + e.getMessage(), e);
        }
    }

    /** A copy of what an Avro {@code bytes} field holds (its buffer's remaining bytes; the buffer is untouched). */
    public static byte[] bytes(ByteBuffer field) {
        byte[] out = new byte[field.remaining()];
        field.duplicate().get(out);
        return out;
    }
}
