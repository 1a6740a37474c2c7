package io.streamcl.topology;

import io.streamcl.schema.Embedding;

/**
 * Told of every record {@link LatestEmbeddings} stores as it processes it, so that something beside the stream
 * (the nearest-neighbour index) can follow the feed without reading the topic a second time. It is called on a
 * stream thread: it must return at once. A store restored from the topic is not replayed through it; read the
 * store itself for that.
 */
@FunctionalInterface
public interface EmbeddingUpdates {
    /**
     * @param partition the embeddings topic's partition the record is in
     * @param embedding null when the id was removed (a tombstone)
     */
    void updated(int partition, String id, Embedding embedding);

    EmbeddingUpdates NONE = (partition, id, embedding) -> { };
}
