package io.streamcl.serve;

import io.streamcl.index.VersionIndex;
import io.streamcl.index.VersionedIndexes;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This instance's nearest-neighbour indexes, one {@link VersionedIndexes} per kind of embedding (image, sentence,
 * item, user), over the partitions of the embeddings topic it holds, and which of those partitions they cover.
 */
final class NeighbourIndexes implements AutoCloseable {
    private final Map<String, VersionedIndexes> byKind = new ConcurrentHashMap<>();
    private final Set<Integer> covered = Collections.synchronizedSet(new TreeSet<>());

    VersionedIndexes of(String kind) {
        return byKind.computeIfAbsent(kind, k -> new VersionedIndexes());
    }

    /** The index of the kind's newest complete version, when there is one here. */
    Optional<VersionIndex> complete(String kind) {
        VersionedIndexes v = byKind.get(kind);
        return v == null ? Optional.empty() : v.complete();
    }

    Iterable<VersionedIndexes> all() {
        return byKind.values();
    }

    /** The partitions whose embeddings are in the indexes. */
    Set<Integer> covered() {
        synchronized (covered) {
            return Collections.unmodifiableSet(new TreeSet<>(covered));
        }
    }

    void cover(int partition) {
        covered.add(partition);
    }

    void uncover(int partition) {
        covered.remove(partition);
    }

    @Override
    public void close() {
        byKind.values().forEach(VersionedIndexes::close);
        byKind.clear();
    }
}
