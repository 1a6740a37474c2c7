package io.streamcl.topology;

import io.streamcl.schema.serde.ChunkedBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Values of a key-value store that may be larger than one record of its changelog: a trainer's checkpoint of
 * a large lookup table (a 131,072 x 64 table and its Adam moments are 96 MiB, the record limit is 64). A value
 * up to {@link #PART_BYTES} is stored as it is; a larger one as parts under {@code key + "/part-" + i} and, under
 * the key, a header: a magic prefix, the part count, the length and the CRC-32 of the whole value.
 *
 * <p>A value is written as a stream and cut into parts as it comes, and read back as a stream over its parts:
 * neither side holds it in one array as well as in parts, which for a checkpoint of about 100 MB is what a
 * learner's heap can spare (CheckpointKillIT runs one in 1 GiB).
 *
 * <p>A processor's puts go to the changelog in the same commit (in one transaction under exactly-once), so a
 * restored store holds the parts of one value. Should it not (at-least-once and a crash between the puts),
 * {@link #open} finds the length or the CRC wrong and says so rather than return a mix of two values.
 */
final class ChunkedValues {
    /** Each part's size: well under {@link TopicSetup#MAX_MESSAGE_BYTES}, so a part and its envelope fit. */
    static final int PART_BYTES = 16 << 20;

    /** No Avro single-object encoding (C3 01 ...) or other value stored here starts with this. */
    private static final byte[] MAGIC = "streamcl-parts:".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Integer.BYTES + Long.BYTES;

    /** Writes one value to a stream. */
    @FunctionalInterface
    interface ValueWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private ChunkedValues() {}

    /** Stores the value under the key, in parts when it is larger than {@link #PART_BYTES}. */
    static void put(KeyValueStore<String, byte[]> store, String key, byte[] value) {
        put(store, key, out -> out.write(value));
    }

    /** Stores the chunks under the key, in parts when they are larger than {@link #PART_BYTES} in all. */
    static void put(KeyValueStore<String, byte[]> store, String key, ChunkedBytes value) {
        put(store, key, value::writeTo);
    }

    /** Stores what the writer writes under the key, cut into parts as it is written when over {@link #PART_BYTES}. */
    static void put(KeyValueStore<String, byte[]> store, String key, ValueWriter value) {
        int wereParts = parts(store.get(key));
        PartWriter out = new PartWriter(store, key);
        try {
            value.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int parts = out.finish();
        for (int i = parts; i < wereParts; i++) {
            store.delete(partKey(key, i)); // left from a larger value
        }
    }

    /** Removes the value under the key, and its parts when it was stored in parts. */
    static void delete(KeyValueStore<String, byte[]> store, String key) {
        int parts = parts(store.get(key));
        for (int i = 0; i < parts; i++) {
            store.delete(partKey(key, i));
        }
        store.delete(key);
    }

    /**
     * The value under the key as a stream over its parts, checked first against the header's length and CRC, or
     * null when there is none.
     *
     * @throws IllegalArgumentException when its parts are missing or are not of one value
     */
    static InputStream open(KeyValueStore<String, byte[]> store, String key) {
        ChunkedBytes value = read(store, key);
        return value == null ? null : value.open();
    }

    /**
     * The value under the key as its parts, the stored arrays themselves, checked first against the header's
     * length and CRC, or null when there is none.
     *
     * @throws IllegalArgumentException when its parts are missing or are not of one value
     */
    static ChunkedBytes read(KeyValueStore<String, byte[]> store, String key) {
        byte[] stored = store.get(key);
        int parts = parts(stored);
        if (parts == 0) {
            return stored == null ? null : ChunkedBytes.of(List.of(stored));
        }
        ByteBuffer header = ByteBuffer.wrap(stored, MAGIC.length, HEADER_BYTES - MAGIC.length);
        header.getInt();
        int length = header.getInt();
        long crc = header.getLong();
        List<byte[]> read = new ArrayList<>(parts);
        CRC32 crcRead = new CRC32();
        long readLength = 0;
        for (int i = 0; i < parts; i++) {
            byte[] part = store.get(partKey(key, i));
            if (part == null) {
                throw new IllegalArgumentException(key + ": part " + (i + 1) + " of " + parts + " is missing");
            }
            crcRead.update(part);
            readLength += part.length;
            read.add(part);
        }
        if (readLength != length || crcRead.getValue() != crc) {
            throw new IllegalArgumentException(key + ": its " + parts + " parts are not of one value ("
                    + readLength + " bytes, " + length + " expected, or another CRC)");
        }
        return ChunkedBytes.of(read);
    }

    /** The part count a stored value's header gives; 0 for a value stored whole, or none. */
    private static int parts(byte[] stored) {
        if (stored == null || stored.length != HEADER_BYTES
                || !Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return 0;
        }
        return ByteBuffer.wrap(stored, MAGIC.length, Integer.BYTES).getInt();
    }

    private static String partKey(String key, int i) {
        return key + "/part-" + i;
    }

    /**
     * Buffers one part at a time: a full part is stored once more bytes come, so a value of exactly
     * {@link #PART_BYTES} is stored whole, as a value of any size up to it is.
     */
    private static final class PartWriter extends OutputStream {
        private final KeyValueStore<String, byte[]> store;
        private final String key;
        private final CRC32 crc = new CRC32();
        private ByteArrayOutputStream part = new ByteArrayOutputStream(1 << 16);
        private long length;
        private int partsStored;

        PartWriter(KeyValueStore<String, byte[]> store, String key) {
            this.store = store;
            this.key = key;
        }

        @Override
        public void write(int b) {
            makeRoom();
            part.write(b);
            crc.update(b);
            length++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                makeRoom();
                int n = Math.min(len, PART_BYTES - part.size());
                part.write(b, off, n);
                crc.update(b, off, n);
                length += n;
                off += n;
                len -= n;
            }
        }

        /** Stores a full part once more bytes come for the value. */
        private void makeRoom() {
            if (part.size() == PART_BYTES) {
                storePart();
                part = new ByteArrayOutputStream(PART_BYTES);
            }
        }

        private void storePart() {
            store.put(partKey(key, partsStored++), part.toByteArray());
        }

        /** Stores what is left, and the header when there were parts; returns the part count (0: stored whole). */
        int finish() {
            if (partsStored == 0) {
                store.put(key, part.toByteArray());
                return 0;
            }
            storePart();
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + ": a value of " + length + " bytes is over 2 GiB");
            }
            store.put(key, ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(partsStored).putInt((int) length)
                    .putLong(crc.getValue()).array());
            return partsStored;
        }
    }
}
