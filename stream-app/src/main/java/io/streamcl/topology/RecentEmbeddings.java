package io.streamcl.topology;

import io.streamcl.kind.EmbeddingInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The most recently published embeddings of one embed task, with the encoder input that made each, so
 * that when a new model version arrives they can be embedded again and republished under it (a consumer
 * can then switch an index to one version), and the drift between the versions measured. Bounded: the
 * least recently published entry goes first. In memory: after a restart it starts empty.
 */
final class RecentEmbeddings {
    /** One published embedding. */
    record Entry(String modelKind, EmbeddingInput input, float[] vector, Instant eventTime) {}

    private final int capacity;
    private final Map<String, Entry> entries;

    RecentEmbeddings(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > RecentEmbeddings.this.capacity;
            }
        };
    }

    boolean enabled() {
        return capacity > 0;
    }

    void published(String modelKind, EmbeddingInput input, float[] vector, Instant eventTime) {
        if (capacity > 0) {
            entries.put(input.key(), new Entry(modelKind, input, vector, eventTime));
        }
    }

    /** The entries made by a kind's model, least recently published first. */
    List<Entry> of(String modelKind) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.modelKind().equals(modelKind)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Mean cosine between each entry's previous vector and its new one (vectors are unit length). */
    static double meanCosine(List<Entry> before, float[][] after) {
        double sum = 0;
        for (int i = 0; i < after.length; i++) {
            float[] a = before.get(i).vector();
            double dot = 0;
            for (int d = 0; d < a.length; d++) {
                dot += (double) a[d] * after[i][d];
            }
            sum += dot;
        }
        return after.length == 0 ? Double.NaN : sum / after.length;
    }
}
