package io.streamcl.kind;

/**
 * One vector to publish: the encoder runs on {@code input}, and the embedding goes out under {@code key}
 * with Embedding.kind {@code kind} (e.g. an image under its id, kind "image"; an event's item under
 * "item:&lt;id&gt;", kind "item").
 */
public record EmbeddingInput(String key, String kind, float[] input) {}
