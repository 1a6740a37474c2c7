package io.streamcl.kind;

import io.streamcl.augment.Augmenter;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.learn.EncoderSpec;
import java.util.Map;

/**
 * Everything that differs between kinds of raw items, in one place: how a payload is validated and
 * decoded, how it is augmented into training views, how it is fed to the encoder to embed it, and
 * which encoder learns it. The topology and the learner only ever talk to this interface.
 *
 * @param <I> the decoded item
 */
public interface ItemKind<I> {

    /** Lower-case name: the key of its models, the suffix of its train topic, the Embedding.kind. */
    String name();

    /** Whether a RawItem payload (ImageItem, SentenceItem, UserEvent) is of this kind. */
    boolean handles(Object payload);

    /** Validates and decodes; bad payloads throw with the reason the dead letter will carry. */
    I decode(Object payload) throws InvalidItemException;

    /** The un-augmented encoder input used to embed the item. */
    float[] embeddingInput(I item);

    /** Makes the two training views of an item. */
    Augmenter<I, float[]> augmenter();

    /** The encoder a fresh trainer of this kind builds, from the settings. */
    EncoderSpec encoderSpec();

    /** Rebuilds the encoder a snapshot of this kind was made with. */
    EncoderSpec encoderSpec(Map<String, String> snapshotConfig);
}
