package io.streamcl.index;

/**
 * One answer of a nearest-neighbour search.
 *
 * @param id      the embedding's key (e.g. {@code item:42})
 * @param score   the cosine between the query and the embedding, in [-1, 1]
 * @param version the model version that made the embedding
 */
public record Neighbour(String id, double score, long version) {}
