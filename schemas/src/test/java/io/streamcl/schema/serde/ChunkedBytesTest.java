package io.streamcl.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bytes written in chunks come back the same, however they were cut, and no chunk is over its size. */
class ChunkedBytesTest {

    @Test
    void shouldGiveBackWhatWasWrittenInChunksNoneOverTheChunkSize() throws Exception {
        for (int length : new int[] {0, 1, 4095, ChunkedBytes.CHUNK, ChunkedBytes.CHUNK + 1, 2 * ChunkedBytes.CHUNK + 7}) {
            byte[] value = new byte[length];
            new Random(length).nextBytes(value);
            ChunkedBytes written = ChunkedBytes.written(out -> {
                out.write(value, 0, Math.min(3, length)); // a few bytes, then one at a time, then the rest
                for (int i = 3; i < Math.min(10, length); i++) {
                    out.write(value[i]);
                }
                if (length > 10) {
                    out.write(value, 10, length - 10);
                }
            });
            assertThat(written.length()).isEqualTo(length);
            assertThat(written.toArray()).isEqualTo(value);
            try (InputStream in = written.open()) {
                assertThat(in.readAllBytes()).isEqualTo(value);
            }
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            written.writeTo(copy);
            assertThat(copy.toByteArray()).isEqualTo(value);
        }
    }

    @Test
    void shouldHoldALargeValueInChunksOfAtMostTheChunkSize() throws Exception {
        byte[] value = new byte[3 * ChunkedBytes.CHUNK - 5];
        new Random(1).nextBytes(value);
        ChunkedBytes written = ChunkedBytes.written(out -> out.write(value));
        List<byte[]> chunks = new java.util.ArrayList<>();
        written.writeTo(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("written chunk by chunk");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                chunks.add(b);
            }
        });
        assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c.length).isLessThanOrEqualTo(ChunkedBytes.CHUNK));
    }

    @Test
    void shouldGiveBackTheSameBytesFromOutsideTheHeap() throws Exception {
        byte[] value = new byte[2 * ChunkedBytes.CHUNK + 3];
        new Random(3).nextBytes(value);
        ChunkedBytes direct = ChunkedBytes.written(out -> out.write(value)).outsideTheHeap();
        assertThat(direct.outsideTheHeap()).isSameAs(direct);
        assertThat(direct.length()).isEqualTo(value.length);
        assertThat(direct.toArray()).isEqualTo(value);
        try (InputStream first = direct.open(); InputStream second = direct.open()) {
            assertThat(first.read()).isEqualTo(value[0] & 0xff); // readers do not move one another
            assertThat(second.readAllBytes()).isEqualTo(value);
            assertThat(first.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(value, 1, value.length));
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        direct.writeTo(copy);
        assertThat(copy.toByteArray()).isEqualTo(value);
    }

    @Test
    void shouldEncodeARecordInChunksThatDecodeToIt() {
        AvroCodec<io.streamcl.schema.state.SimClrState> codec = AvroCodec.of(io.streamcl.schema.state.SimClrState.class);
        byte[] parameters = new byte[ChunkedBytes.CHUNK + 100];
        new Random(2).nextBytes(parameters);
        var record = new io.streamcl.schema.state.SimClrState(java.nio.ByteBuffer.wrap(parameters));
        ChunkedBytes encoded = codec.encodeChunked(record);
        assertThat(encoded.toArray()).isEqualTo(codec.encode(record));
        assertThat(codec.decode(encoded.open())).isEqualTo(record);
    }
}
