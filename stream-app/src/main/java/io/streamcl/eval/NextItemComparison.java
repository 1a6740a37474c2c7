package io.streamcl.eval;

import io.streamcl.ingest.EventFeatures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores event encoders by leave-last-out next-item retrieval ({@link NextItemEvaluation}): each user is
 * embedded from their items but the last, as the stream would embed them, every catalogue item on its
 * own, and the held-out item is looked for among the user's nearest items.
 */
public final class NextItemComparison {
    private final EventFeatures features;
    private final Map<String, List<String>> histories;
    private final Map<String, Map<String, String>> catalogue;
    private final NextItemEvaluation.Options options;

    /**
     * @param histories each user's items, oldest first, the last held out
     * @param catalogue every item that may be recommended, with its attributes (empty when none)
     */
    public NextItemComparison(EventFeatures features, Map<String, List<String>> histories,
            Map<String, Map<String, String>> catalogue, NextItemEvaluation.Options options) {
        this.features = features;
        this.histories = histories;
        this.catalogue = catalogue;
        this.options = options;
    }

    /** HitRate and NDCG of the encoder's user and item embeddings. */
    public NextItemEvaluation.Result encoder(VectorEncoder embedder) {
        List<String> items = new ArrayList<>(catalogue.keySet());
        float[][] itemVectors = embedder.embed(items.stream().map(i -> features.item(i, catalogue.get(i))).toList());
        List<String> users = histories.entrySet().stream().filter(e -> e.getValue().size() >= 2)
                .map(Map.Entry::getKey).toList();
        float[][] userVectors = embedder.embed(users.stream().map(u -> {
            List<String> h = histories.get(u);
            return features.sequence(h.subList(0, h.size() - 1));
        }).toList());
        return NextItemEvaluation.evaluate(histories, index(users, userVectors), index(items, itemVectors), options);
    }

    /** The most-popular list over the same catalogue. */
    public NextItemEvaluation.Result mostPopular() {
        return NextItemEvaluation.mostPopular(histories, catalogue.keySet(), options);
    }

    private static Map<String, float[]> index(List<String> keys, float[][] vectors) {
        Map<String, float[]> out = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            out.put(keys.get(i), vectors[i]);
        }
        return out;
    }
}
