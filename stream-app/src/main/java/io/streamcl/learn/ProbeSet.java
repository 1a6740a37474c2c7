package io.streamcl.learn;

import io.streamcl.eval.AlignmentUniformity;
import io.streamcl.eval.PairRetrieval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of positive pairs taken from the first examples a learner holds, on which every snapshot
 * is measured ({@link ProbeFigures}) so that the promotion gate compares versions on the same items and
 * the same views. It fills once and then never changes; it is saved with the trainer's checkpoint, so a
 * restarted trainer measures on the same pairs.
 */
public final class ProbeSet {
    private static final int FORMAT = 0x50524231; // "PRB1"

    private final int capacity;
    private final List<float[]> queries = new ArrayList<>();
    private final List<float[]> keys = new ArrayList<>();

    public ProbeSet(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("probe capacity must be >= 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps the pair while the probe is not full. */
    public void offer(float[] query, float[] key) {
        if (queries.size() < capacity) {
            queries.add(query.clone());
            keys.add(key.clone());
        }
    }

    /** Whether it holds all the pairs it ever will: only then are its figures comparable over time. */
    public boolean isFull() {
        return capacity > 0 && queries.size() == capacity;
    }

    public int size() {
        return queries.size();
    }

    public int capacity() {
        return capacity;
    }

    /** The figures of an encoder on this probe; NaN figures when it gives non-finite embeddings. */
    public ProbeFigures measure(Embedder embedder) {
        int n = queries.size();
        if (n < 2) {
            throw new IllegalStateException("a probe needs at least 2 pairs, has " + n);
        }
        float[][] q = embedder.embed(queries);
        float[][] k = embedder.embed(keys);
        if (!finite(q) || !finite(k)) {
            return ProbeFigures.nonFinite(n);
        }
        long pairs = (long) n * (n - 1) / 2;
        return new ProbeFigures(AlignmentUniformity.alignment(q, k),
                AlignmentUniformity.uniformity(k, (int) Math.min(pairs, Integer.MAX_VALUE), 0L),
                PairRetrieval.top1(q, k), n);
    }

    private static boolean finite(float[][] rows) {
        for (float[] row : rows) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(capacity);
            out.writeInt(queries.size());
            for (int i = 0; i < queries.size(); i++) {
                writeFloats(out, queries.get(i));
                writeFloats(out, keys.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException if the bytes are not a saved probe */
    public static ProbeSet fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != FORMAT) {
                throw new IllegalArgumentException("not a saved probe");
            }
            ProbeSet p = new ProbeSet(in.readInt());
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                p.offer(readFloats(in), readFloats(in));
            }
            return p;
        } catch (IOException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a saved probe: " + e.getMessage(), e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
