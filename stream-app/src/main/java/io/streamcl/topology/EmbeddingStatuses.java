package io.streamcl.topology;

import io.streamcl.schema.EmbeddingStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The completion markers on the status topic: one per kind and partition, the newest wins. */
public final class EmbeddingStatuses {
    private EmbeddingStatuses() {}

    public static String key(String kind, int partition) {
        return kind + "/" + partition;
    }

    /**
     * Whether every partition of the kind has marked the version complete. The partition count comes from
     * the markers themselves; with none yet, nothing is complete.
     */
    public static boolean complete(ReadOnlyKeyValueStore<String, EmbeddingStatus> store, String kind, long version) {
        EmbeddingStatus first = store.get(key(kind, 0));
        if (first == null) {
            return false;
        }
        for (int p = 0; p < first.getPartitions(); p++) {
            EmbeddingStatus s = store.get(key(kind, p));
            if (s == null || s.getVersion() != version) {
                return false;
            }
        }
        return true;
    }

    /**
     * For each kind of embedding (image, sentence, item, user), the version every partition of its model's kind
     * has marked complete; a kind whose partitions disagree (a backfill under way) is not listed.
     *
     * @param markers the newest marker of each kind and partition
     */
    public static Map<String, Long> completeByEmbeddingKind(Iterable<EmbeddingStatus> markers) {
        Map<String, EmbeddingStatus> byKey = new HashMap<>();
        for (EmbeddingStatus m : markers) {
            byKey.put(key(m.getKind(), m.getPartition()), m);
        }
        Map<String, Long> complete = new HashMap<>();
        for (EmbeddingStatus first : byKey.values()) {
            if (first.getPartition() != 0 || !completeAt(byKey, first)) {
                continue;
            }
            List<String> kinds = first.getEmbeddingKinds().isEmpty() ? List.of(first.getKind())
                    : first.getEmbeddingKinds();
            kinds.forEach(k -> complete.put(k, first.getVersion()));
        }
        return complete;
    }

    private static boolean completeAt(Map<String, EmbeddingStatus> byKey, EmbeddingStatus first) {
        for (int p = 1; p < first.getPartitions(); p++) {
            EmbeddingStatus s = byKey.get(key(first.getKind(), p));
            if (s == null || s.getVersion() != first.getVersion()) {
                return false;
            }
        }
        return true;
    }
}
