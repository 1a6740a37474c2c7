package io.streamcl.eval;

import io.streamcl.augment.Seeds;
import io.streamcl.kind.StandaloneKind;
import io.streamcl.learn.Embedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Compares representations of one labelled, held-out split the way the demo reports them: kNN
 * accuracy (k = 200, cosine, weighted as in InstDisc) with a clean memory, for clean queries and
 * for augmented queries (each held-out item replaced by one seeded draw of the training
 * augmentation). The second column is what contrastive learning buys: invariance.
 *
 * @param <I> the decoded item
 */
public final class EncoderComparison<I> {
    public static final String KNN_CLEAN = "kNN clean";
    public static final String KNN_AUGMENTED = "kNN augmented";
    public static final String UNIFORMITY = "uniformity";

    private final StandaloneKind<I> kind;
    private final List<float[]> memoryInputs = new ArrayList<>();
    private final List<float[]> queryInputs = new ArrayList<>();
    private final List<float[]> augmentedQueryInputs = new ArrayList<>();
    private final int[] memoryLabels;
    private final int[] queryLabels;
    private final KnnClassifier knn;

    /**
     * @param memory      labelled items the classifier votes with (clean)
     * @param queries     held-out labelled items to classify
     * @param seed        seeds the augmented queries
     */
    public EncoderComparison(StandaloneKind<I> kind, List<I> memory, int[] memoryLabels, List<I> queries, int[] queryLabels,
            List<String> queryIds, long seed, int k) {
        this.kind = kind;
        this.memoryLabels = memoryLabels;
        this.queryLabels = queryLabels;
        this.knn = new KnnClassifier(k, 0.07);
        for (I m : memory) {
            memoryInputs.add(kind.embeddingInput(m));
        }
        for (int i = 0; i < queries.size(); i++) {
            queryInputs.add(kind.embeddingInput(queries.get(i)));
            augmentedQueryInputs.add(kind.augmenter().view(queries.get(i), Seeds.forView(seed, queryIds.get(i), 0, 0)));
        }
    }

    /** The encoder's input itself as the representation (raw pixels, for images). */
    public Map<String, Double> rawInputs() {
        return scores(v -> v.toArray(new float[0][]));
    }

    public Map<String, Double> encoder(Embedder embedder) {
        return scores(embedder::embed);
    }

    private Map<String, Double> scores(Function<List<float[]>, float[][]> represent) {
        float[][] memory = represent.apply(memoryInputs);
        float[][] clean = represent.apply(queryInputs);
        float[][] augmented = represent.apply(augmentedQueryInputs);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(KNN_CLEAN, knn.accuracy(memory, memoryLabels, clean, queryLabels));
        out.put(KNN_AUGMENTED, knn.accuracy(memory, memoryLabels, augmented, queryLabels));
        out.put(UNIFORMITY, AlignmentUniformity.uniformity(normalized(clean), 20_000, 7));
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

    public String kindName() {
        return kind.name();
    }
}
