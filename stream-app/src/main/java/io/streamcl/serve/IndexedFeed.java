package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** What the index feeder reads of the running learner besides the updates: its stores, at the moment of asking. */
interface IndexedFeed {
    /** The partitions of the embeddings topic this instance holds. */
    Set<Integer> localPartitions();

    /**
     * Every embedding a partition's store holds.
     *
     * @throws RuntimeException while the store is restored or moves (Kafka Streams' InvalidStateStoreException)
     */
    void forEachEmbedding(int partition, BiConsumer<String, Embedding> action);

    /** Per kind of embedding, the version every partition has marked complete. */
    Map<String, Long> completeVersions();
}
