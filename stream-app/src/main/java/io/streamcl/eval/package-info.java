/**
 * Offline evaluation of exported embeddings: weighted kNN accuracy, positive-pair retrieval,
 * alignment and uniformity, the export file formats, label files and a small report table.
 *
 * <p>Pure Java: no DJL, no Kafka. Every metric L2-normalises its inputs itself, so it can be given raw
 * pixels or an untrained encoder's output as a baseline as well as the published (normalised)
 * embeddings.
 */
package io.streamcl.eval;
