/**
 * Scoring vectors, whoever made them: weighted kNN accuracy, linear probe, positive-pair retrieval,
 * alignment and uniformity, next-item retrieval, the TF-IDF baseline, the export file formats, label
 * files and a small report table.
 *
 * <p>Pure Java: no DJL, no Kafka, nothing of {@code learn} (a model comes in as a
 * {@link io.streamcl.eval.VectorEncoder}). Every metric L2-normalises its inputs itself, so it can be given
 * raw pixels or an untrained encoder's output as a baseline as well as the published (normalised)
 * embeddings.
 */
package io.streamcl.eval;
