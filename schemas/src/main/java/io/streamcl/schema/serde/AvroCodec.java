package io.streamcl.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
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
        encodeTo(record, out);
        return out.toByteArray();
    }

    /**
     * The record's bytes in one array of exactly their size, for a record of tens of MB: it is encoded twice, first
     * only to count its bytes, so no growing buffer ever holds it twice (a checkpoint of a large table is ~100 MB).
     */
    public byte[] encodeLarge(T record) {
        CountingSink counted = new CountingSink();
        encodeTo(record, counted);
        if (counted.count > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a " + typeName + " of " + counted.count + " bytes is over 2 GiB");
        }
        ExactArray out = new ExactArray((int) counted.count);
        encodeTo(record, out);
        releaseThreadLocals();
        return out.array();
    }

    /** Counts what is written, and keeps none of it. */
    private static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** Writes into an array of the size counted before; hands that array over, not a copy. */
    private static final class ExactArray extends OutputStream {
        private final byte[] bytes;
        private int at;

        ExactArray(int size) {
            bytes = new byte[size];
        }

        @Override
        public void write(int b) {
            bytes[at++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            System.arraycopy(b, off, bytes, at, len);
            at += len;
        }

        byte[] array() {
            if (at != bytes.length) {
                throw new IllegalStateException("encoded " + at + " bytes of the " + bytes.length + " counted");
            }
            return bytes;
        }
    }

    /** The record's bytes in chunks ({@link ChunkedBytes}): for a record of 100 MB or more, never one array. */
    public ChunkedBytes encodeChunked(T record) {
        return ChunkedBytes.written(out -> encode(record, out));
    }

    /** Writes the record to a stream, for a record too large to be held twice. */
    public void encode(T record, OutputStream out) {
        encodeTo(record, out);
        releaseThreadLocals();
    }

    private void encodeTo(T record, OutputStream out) {
        try {
            encoder.encode(record, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty record: what a thread's Avro encoder and decoder hold on to once a large one is done. */
    private static final Schema RELEASED = SchemaBuilder.record("Released").namespace("io.streamcl.schema.serde")
            .fields().endRecord();
    private static final BinaryMessageEncoder<GenericRecord> RELEASED_ENCODER =
            new BinaryMessageEncoder<>(GenericData.get(), RELEASED);
    private static final BinaryMessageDecoder<GenericRecord> RELEASED_DECODER =
            new BinaryMessageDecoder<>(GenericData.get(), RELEASED);
    private static final byte[] RELEASED_BYTES = releasedBytes();
    /** Arrays from this size on are let go once decoded (see {@link #releaseThreadLocals}). */
    private static final int LARGE = 1 << 20;

    private static byte[] releasedBytes() {
        try {
            return RELEASED_ENCODER.encode(new GenericData.Record(RELEASED)).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Avro's message encoder and decoder are kept per thread, and keep the stream they last wrote to or read from:
     * after a record of tens of MB, a thread that seldom encodes or decodes again (a trainer after its checkpoint,
     * the thread that reads the models topic) would keep its bytes on the heap until it does. An empty record takes
     * their place.
     */
    private static void releaseThreadLocals() {
        try {
            RELEASED_ENCODER.encode(new GenericData.Record(RELEASED), OutputStream.nullOutputStream());
            RELEASED_DECODER.decode(RELEASED_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a record this codec reads: no header, another
     *     record or a version of this one it does not know, or a body cut short
     */
    public T decode(byte[] bytes) {
        try {
            T record = decoder.decode(bytes);
            if (bytes.length >= LARGE) {
                releaseThreadLocals();
            }
            return record;
        } catch (IOException | RuntimeException e) { // BadHeaderException, MissingSchemaException, EOF...
            throw new IllegalArgumentException("not a readable " + typeName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a record from a stream, for a record too large to be held twice.
     *
     * @throws IllegalArgumentException as {@link #decode(byte[])}
     */
    public T decode(InputStream in) {
        try {
            T record = decoder.decode(in);
            releaseThreadLocals();
            return record;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a readable " + typeName + ": " + e.getMessage(), e);
        }
    }

    /**
     * What an Avro {@code bytes} field holds, as an array: the buffer's own when it is exactly that array (as a
     * field just decoded is), else a copy. For fields of tens of MB that are read once; the buffer is untouched.
     */
    public static byte[] array(ByteBuffer field) {
        if (field.hasArray() && field.arrayOffset() == 0 && field.position() == 0
                && field.remaining() == field.array().length) {
            return field.array();
        }
        return bytes(field);
    }

    /** A copy of what an Avro {@code bytes} field holds (its buffer's remaining bytes; the buffer is untouched). */
    public static byte[] bytes(ByteBuffer field) {
        byte[] out = new byte[field.remaining()];
        field.duplicate().get(out);
        return out;
    }
}
