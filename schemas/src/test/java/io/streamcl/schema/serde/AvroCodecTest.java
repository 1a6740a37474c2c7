package io.streamcl.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.state.StoredCheckpoint;
import io.streamcl.schema.state.UserHistoryState;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

    private static StoredCheckpoint checkpoint() {
        return new StoredCheckpoint(3L, Map.of("type", "image-cnn"), ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void shouldRoundTripAState() {
        AvroCodec<StoredCheckpoint> codec = AvroCodec.of(StoredCheckpoint.class);
        assertThat(codec.decode(codec.encode(checkpoint()))).isEqualTo(checkpoint());
    }

    @Test
    void shouldRefuseAnotherRecordWithAnIllegalArgumentNamingTheExpectedOne() {
        byte[] history = AvroCodec.of(UserHistoryState.class)
                .encode(new UserHistoryState(5, 60_000L, 0L, List.of("a"), List.of(1L)));
        assertThatThrownBy(() -> AvroCodec.of(StoredCheckpoint.class).decode(history))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a readable StoredCheckpoint");
        assertThatThrownBy(() -> AvroCodec.of(StoredCheckpoint.class).decode(new byte[] {0, 0, 0, 1, 7}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLargeRecordShouldEncodeToTheSameBytesAndReadBackFromAStream() {
        AvroCodec<StoredCheckpoint> codec = AvroCodec.of(StoredCheckpoint.class);
        byte[] body = new byte[3 << 20];
        new java.util.Random(7).nextBytes(body);
        StoredCheckpoint large = new StoredCheckpoint(9L, Map.of("type", "text-hashed-bag"), ByteBuffer.wrap(body));
        byte[] encoded = codec.encodeLarge(large);
        assertThat(encoded).isEqualTo(codec.encode(large));
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        codec.encode(large, streamed);
        assertThat(streamed.toByteArray()).isEqualTo(encoded);
        StoredCheckpoint read = codec.decode(new java.io.ByteArrayInputStream(encoded));
        assertThat(read).isEqualTo(large);
        assertThat(AvroCodec.array(read.getTrainer())).as("a decoded field's own array, not a copy")
                .isSameAs(read.getTrainer().array()).isEqualTo(body);
    }

    @Test
    void aThreadShouldNotKeepTheBytesOfALargeRecordOnceItIsEncodedOrDecoded() throws Exception {
        AvroCodec<StoredCheckpoint> codec = AvroCodec.of(StoredCheckpoint.class);
        StoredCheckpoint large = new StoredCheckpoint(9L, Map.of(), ByteBuffer.wrap(new byte[2 << 20]));
        java.lang.ref.WeakReference<byte[]> written = new java.lang.ref.WeakReference<>(codec.encodeLarge(large));
        byte[] encoded = codec.encode(large);
        java.lang.ref.WeakReference<byte[]> read = new java.lang.ref.WeakReference<>(encoded);
        assertThat(codec.decode(encoded).getVersion()).isEqualTo(9L);
        encoded = null;
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        java.lang.ref.WeakReference<java.io.ByteArrayOutputStream> streamed = new java.lang.ref.WeakReference<>(sink);
        codec.encode(large, sink);
        sink = null;
        for (int i = 0; i < 20 && (written.get() != null || read.get() != null || streamed.get() != null); i++) {
            System.gc(); // Avro's per-thread encoder and decoder would keep them reachable from this thread
            Thread.sleep(10);
        }
        assertThat(written.get()).as("the array a large record was encoded into").isNull();
        assertThat(read.get()).as("the array a large record was decoded from").isNull();
        assertThat(streamed.get()).as("the stream a large record was written to").isNull();
    }

    @Test
    void shouldCopyWhatABytesFieldHoldsWithoutMovingIt() {
        ByteBuffer field = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3);
        assertThat(AvroCodec.bytes(field)).containsExactly(1, 2, 3);
        assertThat(AvroCodec.array(field)).as("part of an array: a copy").containsExactly(1, 2, 3);
        assertThat(field.remaining()).isEqualTo(3);
    }

    @Test
    void littleEndianFloatsShouldRoundTripAndRefuseAPartialFloat() {
        float[] values = {1f, -0.5f, Float.MIN_VALUE, Float.MAX_VALUE};
        ByteBuffer bytes = LittleEndianFloats.toBytes(values);
        assertThat(bytes.get(0)).isZero(); // 1f is 0x3f800000, least significant byte first
        assertThat(bytes.get(3)).isEqualTo((byte) 0x3f);
        assertThat(LittleEndianFloats.fromBytes(bytes)).containsExactly(values);
        assertThatThrownBy(() -> LittleEndianFloats.fromBytes(ByteBuffer.wrap(new byte[5])))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
