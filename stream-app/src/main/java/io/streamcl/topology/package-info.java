/**
 * Step 4, the stream: the Kafka Streams topology ({@link io.streamcl.topology.LearnerTopology}), its small
 * processors (decode gate, trainer, embedder), their stores, topics, dead letters and metrics. Routes
 * records and keeps state; all tensors and similarities are computed in {@code learn}, and no DJL type
 * appears here.
 */
package io.streamcl.topology;
