package io.streamcl.augment;

/**
 * How an item becomes what an encoder reads: as it is, to embed it, and augmented, to train on it.
 *
 * @param <I> the decoded item
 */
public interface EncoderInputs<I> {

    /** The un-augmented encoder input used to embed the item. */
    float[] embeddingInput(I item);

    /** Makes the training views of an item. */
    Augmenter<I, float[]> augmenter();
}
