package io.streamcl.schema.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes held as chunks of at most {@link #CHUNK} bytes each: a value of 100 MB or more (a trainer's checkpoint of a
 * large table and its moments) without one array of its size. A heap of 1 GiB that also holds arrays of tens of MB
 * (a model's parameters) can have the room for such a value and still no free run of it in one piece.
 *
 * <p>A value kept for long may be held outside the heap ({@link #outsideTheHeap}), in direct buffers: a trainer's
 * last good state, which it only reads back if it diverges.
 */
public final class ChunkedBytes {
    /** Each chunk's size: an array a heap always finds room for. */
    public static final int CHUNK = 4 << 20;
    private static final int COPY = 1 << 16;

    private final List<ByteBuffer> chunks; // read through duplicates: a reader never moves another's position
    private final long length;

    private ChunkedBytes(List<ByteBuffer> chunks) {
        this.chunks = List.copyOf(chunks);
        this.length = this.chunks.stream().mapToLong(ByteBuffer::remaining).sum();
    }

    /** These arrays, in order, as they are (not copied): the caller must not change them. */
    public static ChunkedBytes of(List<byte[]> arrays) {
        return new ChunkedBytes(arrays.stream().map(ByteBuffer::wrap).toList());
    }

    /** What the writer writes, cut into chunks as it comes. */
    public static ChunkedBytes written(Writer writer) {
        ChunkingStream out = new ChunkingStream();
        try {
            writer.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.finish();
    }

    /** Writes one value to a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public long length() {
        return length;
    }

    /** The same bytes in direct buffers, outside the heap (this, when they are there already). */
    public ChunkedBytes outsideTheHeap() {
        if (chunks.stream().allMatch(ByteBuffer::isDirect)) {
            return this;
        }
        List<ByteBuffer> direct = new ArrayList<>(chunks.size());
        for (ByteBuffer c : chunks) {
            ByteBuffer d = ByteBuffer.allocateDirect(c.remaining());
            d.put(c.duplicate()).flip();
            direct.add(d);
        }
        return new ChunkedBytes(direct);
    }

    /** The bytes as one stream over the chunks. */
    public InputStream open() {
        return new ChunksStream(chunks.stream().map(ByteBuffer::duplicate).toList());
    }

    public void writeTo(OutputStream out) throws IOException {
        byte[] copy = null;
        for (ByteBuffer c : chunks) {
            if (c.hasArray()) {
                out.write(c.array(), c.arrayOffset() + c.position(), c.remaining());
                continue;
            }
            copy = copy == null ? new byte[COPY] : copy;
            ByteBuffer from = c.duplicate();
            while (from.hasRemaining()) {
                int n = Math.min(copy.length, from.remaining());
                from.get(copy, 0, n);
                out.write(copy, 0, n);
            }
        }
    }

    /** The bytes in one array: for values that are small, or in tests. */
    public byte[] toArray() {
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException(length + " bytes do not fit in one array");
        }
        byte[] all = new byte[(int) length];
        int at = 0;
        for (ByteBuffer c : chunks) {
            int n = c.remaining();
            c.duplicate().get(all, at, n);
            at += n;
        }
        return all;
    }

    /** Reads the chunks one after the other. */
    private static final class ChunksStream extends InputStream {
        private final List<ByteBuffer> chunks;
        private int current;

        ChunksStream(List<ByteBuffer> chunks) {
            this.chunks = chunks;
        }

        private ByteBuffer next() {
            while (current < chunks.size() && !chunks.get(current).hasRemaining()) {
                current++;
            }
            return current < chunks.size() ? chunks.get(current) : null;
        }

        @Override
        public int read() {
            ByteBuffer c = next();
            return c == null ? -1 : c.get() & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            ByteBuffer c = next();
            if (c == null) {
                return -1;
            }
            int n = Math.min(len, c.remaining());
            c.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            ByteBuffer c = next();
            return c == null ? 0 : c.remaining();
        }
    }

    /** Fills one chunk at a time; the last is cut to what it holds. */
    private static final class ChunkingStream extends OutputStream {
        private final List<ByteBuffer> full = new ArrayList<>();
        private byte[] chunk = new byte[1 << 12]; // a small value stays small; a large one grows to CHUNK
        private int at;

        @Override
        public void write(int b) {
            makeRoom();
            chunk[at++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                makeRoom();
                int n = Math.min(len, chunk.length - at);
                System.arraycopy(b, off, chunk, at, n);
                at += n;
                off += n;
                len -= n;
            }
        }

        private void makeRoom() {
            if (at < chunk.length) {
                return;
            }
            if (chunk.length < CHUNK) {
                chunk = Arrays.copyOf(chunk, Math.min(CHUNK, 2 * chunk.length));
            } else {
                full.add(ByteBuffer.wrap(chunk));
                chunk = new byte[CHUNK];
                at = 0;
            }
        }

        ChunkedBytes finish() {
            full.add(ByteBuffer.wrap(at == chunk.length ? chunk : Arrays.copyOf(chunk, at)));
            return new ChunkedBytes(full);
        }
    }
}
