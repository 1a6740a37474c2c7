/**
 * Step 1, reading: files and payloads into items. Readers for {@code produce} and {@code embed} (IDX, image folders,
 * text lines and TSV, event CSV such as MovieLens), the decoders that validate a {@code RawItem} payload
 * into an item ({@link io.streamcl.ingest.ImageTensor}, words, events), and the hashing every later step
 * shares ({@link io.streamcl.ingest.Hashes}). Knows nothing of augmentation, models or Kafka Streams.
 */
package io.streamcl.ingest;
