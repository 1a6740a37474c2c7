package io.streamcl.topology;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Values of a key-value store that may be larger than one record of its changelog: a trainer's checkpoint of
 * a large lookup table (a 131,072 x 64 table and its Adam moments are 96 MiB, the record limit is 64). A value
 * up to {@link #PART_BYTES} is stored as it is; a larger one as parts under {@code key + "/part-" + i} and, under
 * the key, a header: a magic prefix, the part count, the length and the CRC-32 of the whole value.
 *
 * <p>A processor's puts go to the changelog in the same commit (in one transaction under exactly-once), so a
 * restored store holds the parts of one value. Should it not (at-least-once and a crash between the puts),
 * {@link #get} finds the length or the CRC wrong and says so rather than return a mix of two values.
 */
final class ChunkedValues {
    /** Each part's size: well under {@link TopicSetup#MAX_MESSAGE_BYTES}, so a part and its envelope fit. */
    static final int PART_BYTES = 16 << 20;

    /** No Avro single-object encoding (C3 01 ...) or other value stored here starts with this. */
    private static final byte[] MAGIC = "streamcl-parts:".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + Integer.BYTES + Integer.BYTES + Long.BYTES;

    private ChunkedValues() {}

    /** Stores the value under the key, in parts when it is larger than {@link #PART_BYTES}. */
    static void put(KeyValueStore<String, byte[]> store, String key, byte[] value) {
        int wereParts = parts(store.get(key));
        int parts = value.length <= PART_BYTES ? 0 : (value.length + PART_BYTES - 1) / PART_BYTES;
        for (int i = 0; i < parts; i++) {
            store.put(partKey(key, i), Arrays.copyOfRange(value, i * PART_BYTES,
                    Math.min(value.length, (i + 1) * PART_BYTES)));
        }
        for (int i = parts; i < wereParts; i++) {
            store.delete(partKey(key, i)); // left from a larger value
        }
        store.put(key, parts == 0 ? value : ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(parts)
                .putInt(value.length).putLong(crc(value)).array());
    }

    /**
     * The value under the key, whole, or null when there is none.
     *
     * @throws IllegalArgumentException when its parts are missing or are not of one value
     */
    static byte[] get(KeyValueStore<String, byte[]> store, String key) {
        byte[] stored = store.get(key);
        int parts = parts(stored);
        if (parts == 0) {
            return stored;
        }
        ByteBuffer header = ByteBuffer.wrap(stored, MAGIC.length, HEADER_BYTES - MAGIC.length);
        header.getInt();
        int length = header.getInt();
        long crc = header.getLong();
        ByteArrayOutputStream whole = new ByteArrayOutputStream(length);
        for (int i = 0; i < parts; i++) {
            byte[] part = store.get(partKey(key, i));
            if (part == null) {
                throw new IllegalArgumentException(key + ": part " + (i + 1) + " of " + parts + " is missing");
            }
            whole.writeBytes(part);
        }
        byte[] value = whole.toByteArray();
        if (value.length != length || crc(value) != crc) {
            throw new IllegalArgumentException(key + ": its " + parts + " parts are not of one value ("
                    + value.length + " bytes, " + length + " expected, or another CRC)");
        }
        return value;
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

    private static long crc(byte[] value) {
        CRC32 crc = new CRC32();
        crc.update(value);
        return crc.getValue();
    }
}
