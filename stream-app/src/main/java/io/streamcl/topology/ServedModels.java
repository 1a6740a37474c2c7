package io.streamcl.topology;

import io.streamcl.schema.ModelSnapshot;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Which snapshot of a kind is served, from the models store: a version pinned by hand wins over the one
 * the promotion gate chose. Embedders embed and re-embed only with it.
 */
public final class ServedModels {
    private ServedModels() {}

    public static Optional<ModelSnapshot> served(ReadOnlyKeyValueStore<String, ModelSnapshot> store, String kind) {
        ModelSnapshot pinned = store.get(ModelSnapshots.pinnedKey(kind));
        return Optional.ofNullable(pinned != null ? pinned : store.get(ModelSnapshots.servedKey(kind)));
    }

    public static boolean pinned(ReadOnlyKeyValueStore<String, ModelSnapshot> store, String kind) {
        return store.get(ModelSnapshots.pinnedKey(kind)) != null;
    }
}
