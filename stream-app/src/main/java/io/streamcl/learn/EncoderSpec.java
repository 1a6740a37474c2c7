package io.streamcl.learn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;

/**
 * The shape of one kind's encoder: enough to build it, and to rebuild it from a snapshot's config
 * before loading trained parameters. Every item reaches the encoder as a flat {@code float[]} of
 * {@link #inputSize()} values (pixels, or token ids for text) that {@link #inputShape} reshapes.
 */
public interface EncoderSpec {

    /**
     * Written into every snapshot; {@code type} names the spec that can read it back. Specs that are records
     * write and read it with {@link EncoderConfigs}.
     */
    Map<String, String> config();

    /** Floats per item in a view. */
    int inputSize();

    /** The model input for a batch, e.g. (B, C, S, S) for images. */
    Shape inputShape(int batch);

    /** Maps one item's input to its embedding: (B, ...) -> (B, embeddingDim). */
    Block newBackbone();

    int embeddingDim();

    int projectionDim();

    /** How the published embedding is standardised by the stream's statistics ({@link EmbeddingStandardizer}); null: not. */
    default EmbeddingStandardizer.Mode embeddingStandardization() {
        return null;
    }

    /** Backbone plus a 2-layer projection head: (B, ...) -> [(B, embeddingDim), (B, projectionDim)]. */
    default ContrastiveEncoder newEncoder() {
        return new ContrastiveEncoder(newBackbone(), ContrastiveEncoder.projectionHead(embeddingDim(), projectionDim()),
                embeddingStandardization() == null ? null
                        : new EmbeddingStandardizer(embeddingDim(), embeddingStandardization()));
    }
}
