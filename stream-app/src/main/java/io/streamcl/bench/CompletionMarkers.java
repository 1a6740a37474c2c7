package io.streamcl.bench;

import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.topology.EmbeddingStatuses;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The completion markers read so far: the newest per kind and partition, as the compacted status topic
 * keeps them. What a consumer of the feed checks before it swaps in a version's index.
 */
final class CompletionMarkers {
    private final Map<String, EmbeddingStatus> newest = new HashMap<>();

    /** Takes a marker read from the topic, in order. */
    void add(EmbeddingStatus marker) {
        newest.put(EmbeddingStatuses.key(marker.getKind(), marker.getPartition()), marker);
    }

    /**
     * Whether every partition of the kind has marked the version complete at {@code since} or later. An older
     * marker for the version is of an earlier backfill to it, which says nothing about the entries since.
     */
    boolean complete(String kind, long version, Instant since) {
        EmbeddingStatus first = newest.get(EmbeddingStatuses.key(kind, 0));
        return first != null && IntStream.range(0, first.getPartitions())
                .mapToObj(p -> newest.get(EmbeddingStatuses.key(kind, p)))
                .allMatch(m -> m != null && m.getVersion() == version && !m.getTime().isBefore(since));
    }

    /** The ids in the kind's catalogues, summed over each partition's newest marker. */
    long items(String kind) {
        return newest.values().stream().filter(m -> m.getKind().equals(kind)).mapToLong(EmbeddingStatus::getItems).sum();
    }
}
