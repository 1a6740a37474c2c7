package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.serde.ChunkedBytes;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Values larger than a record, stored in parts and read back whole, or refused when the parts do not agree. */
class ChunkedValuesTest {
    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void open() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("values"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** The value as a reader of the store gets it, whole; null when there is none. */
    private static byte[] read(KeyValueStore<String, byte[]> store, String key) throws java.io.IOException {
        try (java.io.InputStream in = ChunkedValues.open(store, key)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void chunksAreStoredInPartsAndReadBackAsTheStoredParts() throws Exception {
        byte[] value = bytes(2 * ChunkedValues.PART_BYTES + 9, 5);
        ChunkedBytes chunks = ChunkedBytes.written(out -> out.write(value));
        ChunkedValues.put(store, "sentence/trainer", chunks);
        ChunkedBytes read = ChunkedValues.read(store, "sentence/trainer");
        assertThat(read.length()).isEqualTo(value.length);
        assertThat(read.toArray()).isEqualTo(value);
        assertThat(read(store, "sentence/trainer")).isEqualTo(value);
        assertThat(ChunkedValues.read(store, "image/trainer")).isNull();
        ChunkedValues.put(store, "small", ChunkedBytes.of(java.util.List.of(new byte[] {1, 2}, new byte[] {3})));
        assertThat(ChunkedValues.read(store, "small").toArray()).containsExactly(1, 2, 3);
    }

    @Test
    void deletingAValueRemovesItsParts() throws Exception {
        ChunkedValues.put(store, "image", bytes(ChunkedValues.PART_BYTES + 1, 3));
        ChunkedValues.put(store, "other", bytes(10, 4));
        ChunkedValues.delete(store, "image");
        assertThat(read(store, "image")).isNull();
        try (var all = store.all()) {
            assertThat(all).toIterable().extracting(kv -> kv.key).containsExactly("other");
        }
        ChunkedValues.delete(store, "image"); // nothing there: nothing to do
        assertThat(read(store, "other")).hasSize(10);
    }

    @Test
    void aSmallValueIsStoredWholeAndALargeOneInPartsNoneOverThePartSize() throws Exception {
        byte[] small = bytes(1000, 1);
        ChunkedValues.put(store, "image", small);
        assertThat(store.get("image")).isEqualTo(small);
        assertThat(read(store, "image")).isEqualTo(small);

        byte[] large = bytes(2 * ChunkedValues.PART_BYTES + 5, 2);
        ChunkedValues.put(store, "image", large);
        assertThat(read(store, "image")).isEqualTo(large);
        for (int i = 0; i < 3; i++) {
            assertThat(store.get("image/part-" + i)).hasSizeLessThanOrEqualTo(ChunkedValues.PART_BYTES);
        }
        assertThat(store.get("image").length).isLessThan(64);

        ChunkedValues.put(store, "image", small); // smaller again: the parts go
        assertThat(read(store, "image")).isEqualTo(small);
        assertThat(store.get("image/part-0")).isNull();
        assertThat(store.get("image/part-2")).isNull();
        assertThat(read(store, "nothing")).isNull();
    }

    @Test
    void aValueWrittenAsAStreamIsCutIntoPartsAsItComesAndReadBackAsAStream() throws Exception {
        byte[] large = bytes(2 * ChunkedValues.PART_BYTES + 5, 5);
        ChunkedValues.put(store, "sentence", out -> {
            for (int at = 0, n = 1; at < large.length; at += n, n = n * 3 % 1_000_003 + 1) { // odd-sized writes
                out.write(large, at, Math.min(n, large.length - at));
            }
        });
        assertThat(store.get("sentence/part-2")).hasSize(5);
        try (java.io.InputStream in = ChunkedValues.open(store, "sentence")) {
            assertThat(in.readAllBytes()).isEqualTo(large);
        }

        ChunkedValues.put(store, "sentence", out -> { // byte by byte across the boundary between two parts
            out.write(large, 0, ChunkedValues.PART_BYTES - 1);
            for (int i = ChunkedValues.PART_BYTES - 1; i < ChunkedValues.PART_BYTES + 1; i++) {
                out.write(large[i]);
            }
            out.write(large, ChunkedValues.PART_BYTES + 1, large.length - ChunkedValues.PART_BYTES - 1);
        });
        assertThat(read(store, "sentence")).isEqualTo(large);

        byte[] onePart = bytes(ChunkedValues.PART_BYTES, 6);
        ChunkedValues.put(store, "sentence", out -> out.write(onePart));
        assertThat(store.get("sentence")).as("a value of exactly one part's size is stored whole").isEqualTo(onePart);
        assertThat(store.get("sentence/part-0")).isNull();
        assertThat(ChunkedValues.open(store, "nothing")).isNull();
    }

    @Test
    void partsOfTwoValuesOrAMissingPartAreRefusedNotJoined() throws Exception {
        ChunkedValues.put(store, "sentence", bytes(ChunkedValues.PART_BYTES + 10, 3));
        byte[] header = store.get("sentence");
        ChunkedValues.put(store, "sentence", bytes(ChunkedValues.PART_BYTES + 10, 4));
        store.put("sentence", header); // the first value's header over the second's parts
        assertThatThrownBy(() -> read(store, "sentence"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not of one value");

        store.delete("sentence/part-1");
        assertThatThrownBy(() -> read(store, "sentence"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("part 2 of 2 is missing");
    }
}
