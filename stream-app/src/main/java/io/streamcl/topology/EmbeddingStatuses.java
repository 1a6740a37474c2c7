package io.streamcl.topology;

import io.streamcl.schema.EmbeddingStatus;
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
}
