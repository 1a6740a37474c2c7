/**
 * Nearest neighbours by cosine over the embeddings of one model version ({@link io.streamcl.index.VersionIndex},
 * Lucene's HNSW), and the hand-over from one version to the next ({@link io.streamcl.index.VersionedIndexes}).
 * Plain vectors and ids in, neighbours out: it knows nothing of Kafka, of topics or of HTTP, so the same index
 * answers the server and the bench.
 */
package io.streamcl.index;
