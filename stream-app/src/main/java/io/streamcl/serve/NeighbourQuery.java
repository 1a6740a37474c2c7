package io.streamcl.serve;

import java.util.List;

/**
 * One search, as the instance that got the request sends it to every instance: the k nearest to the vector among
 * the kind's embeddings of exactly this version, the excluded ids left out.
 */
record NeighbourQuery(float[] vector, int k, String kind, long version, List<String> exclude) {}
