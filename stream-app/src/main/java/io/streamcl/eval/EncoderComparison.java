package io.streamcl.eval;

import io.streamcl.augment.EncoderInputs;
import io.streamcl.augment.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compares representations of one labelled, held-out split the way the demo and the benchmark report
 * them: kNN accuracy (k = 200, cosine, weighted as in InstDisc) with a clean memory, for clean queries
 * and for augmented queries (each held-out item replaced by one seeded draw of the training
 * augmentation); the augmented column is what contrastive learning buys: invariance. With
 * {@link #withLinearProbe} also the linear probe (trained on the memory) for both kinds of query, and
 * the alignment of two augmented views of each held-out item; uniformity always.
 *
 * @param <I> the decoded item
 */
public final class EncoderComparison<I> {
    public static final String KNN_CLEAN = "kNN clean";
    public static final String KNN_AUGMENTED = "kNN augmented";
    public static final String UNIFORMITY = "uniformity";
    public static final String PROBE_CLEAN = "probe clean";
    public static final String PROBE_AUGMENTED = "probe augmented";
    public static final String ALIGNMENT = "alignment";

    private final List<float[]> memoryInputs = new ArrayList<>();
    private final List<float[]> queryInputs = new ArrayList<>();
    private final List<float[]> augmentedQueryInputs = new ArrayList<>();
    private final List<float[]> secondViewInputs = new ArrayList<>();
    private final int[] memoryLabels;
    private final int[] queryLabels;
    private final KnnClassifier knn;
    private LinearProbe probe;

    /**
     * @param inputs      how the items become encoder inputs, clean and augmented
     * @param memory      labelled items the classifier votes with (clean)
     * @param queries     held-out labelled items to classify
     * @param seed        seeds the augmented queries
     */
    public EncoderComparison(EncoderInputs<I> inputs, List<I> memory, int[] memoryLabels, List<I> queries, int[] queryLabels,
            List<String> queryIds, long seed, int k) {
        this.memoryLabels = memoryLabels;
        this.queryLabels = queryLabels;
        this.knn = new KnnClassifier(k, 0.07);
        for (I m : memory) {
            memoryInputs.add(inputs.embeddingInput(m));
        }
        for (int i = 0; i < queries.size(); i++) {
            queryInputs.add(inputs.embeddingInput(queries.get(i)));
            augmentedQueryInputs.add(inputs.augmenter().view(queries.get(i), Seeds.forView(seed, queryIds.get(i), 0, 0)));
            secondViewInputs.add(inputs.augmenter().view(queries.get(i), Seeds.forView(seed, queryIds.get(i), 0, 1)));
        }
    }

    /** Also scores a linear probe and the alignment of positive pairs. */
    public EncoderComparison<I> withLinearProbe(LinearProbe probe) {
        this.probe = probe;
        return this;
    }

    /** The encoder's input itself as the representation (raw pixels, for images). */
    public Map<String, Double> rawInputs() {
        return scores(v -> v.toArray(new float[0][]));
    }

    public Map<String, Double> encoder(VectorEncoder embedder) {
        return scores(embedder::embed);
    }

    /**
     * The memory as a consumer of the embeddings topic holds it ({@code memory[i]} is memory item i's vector
     * there), queried by the encoder of the version it is on: what a user of the feed gets.
     */
    public Map<String, Double> feed(float[][] memory, VectorEncoder embedder) {
        if (memory.length != memoryInputs.size()) {
            throw new IllegalArgumentException("the feed has " + memory.length + " memory vectors, expected "
                    + memoryInputs.size());
        }
        return scores(memory, embedder::embed);
    }

    private Map<String, Double> scores(Function<List<float[]>, float[][]> represent) {
        return scores(represent.apply(memoryInputs), represent);
    }

    private Map<String, Double> scores(float[][] memory, Function<List<float[]>, float[][]> represent) {
        float[][] clean = represent.apply(queryInputs);
        float[][] augmented = represent.apply(augmentedQueryInputs);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(KNN_CLEAN, knn.accuracy(memory, memoryLabels, clean, queryLabels));
        out.put(KNN_AUGMENTED, knn.accuracy(memory, memoryLabels, augmented, queryLabels));
        out.put(UNIFORMITY, AlignmentUniformity.uniformity(normalized(clean), 20_000, 7));
        if (probe != null) {
            float[][] both = new float[clean.length + augmented.length][];
            System.arraycopy(clean, 0, both, 0, clean.length);
            System.arraycopy(augmented, 0, both, clean.length, augmented.length);
            int[] predicted = probe.predict(memory, memoryLabels, both); // one probe, both kinds of query
            out.put(PROBE_CLEAN, ClassIndex.accuracy(Arrays.copyOfRange(predicted, 0, clean.length), queryLabels));
            out.put(PROBE_AUGMENTED, ClassIndex.accuracy(Arrays.copyOfRange(predicted, clean.length, predicted.length),
                    queryLabels));
            out.put(ALIGNMENT, AlignmentUniformity.alignment(augmented, represent.apply(secondViewInputs)));
        }
        return out;
    }

    private static float[][] normalized(float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            double n = 0;
            for (float v : x[i]) {
                n += v * v;
            }
            float inv = (float) (1 / Math.max(Math.sqrt(n), 1e-12));
            out[i] = new float[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                out[i][j] = x[i][j] * inv;
            }
        }
        return out;
    }
}
