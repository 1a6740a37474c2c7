package io.streamcl.kind;

import io.streamcl.ingest.InvalidItemException;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that differs between kinds of raw items, in one place: how a raw item is validated and
 * decoded, how its items are learned, what they are embedded as, and which encoder learns them. The
 * topology only ever talks to this interface. Kinds whose items stand alone implement {@link
 * StandaloneKind}; kinds whose items also describe an entity with its own embedding (events: a user)
 * add an {@link EntityHistory}.
 *
 * @param <I> the decoded item
 */
public interface ItemKind<I> {

    /** Lower-case name: the key of its models, the suffix of its train topic. */
    String name();

    /**
     * The RawItem attribute that names an item's kind outright. With it a kind can take items of another kind's
     * payload type (RawItem's payload is a closed union): its items carry the attribute, the others' do not.
     */
    String KIND_ATTRIBUTE = "streamcl.kind";

    /** The RawItem payload type of its items (ImageItem, SentenceItem, UserEvent). */
    Class<?> payloadType();

    /** Whether it takes items of its payload type that name no kind; false where it shares another's type. */
    default boolean takesUnnamed() {
        return true;
    }

    /** Whether a raw item is of this kind: by its payload type, and by its {@value #KIND_ATTRIBUTE} attribute if any. */
    default boolean handles(RawItem item) {
        if (!payloadType().isInstance(item.getPayload())) {
            return false;
        }
        String named = item.getAttributes().get(KIND_ATTRIBUTE);
        return named == null ? takesUnnamed() : named.equals(name());
    }

    /** Validates and decodes; bad items throw with the reason the dead letter will carry. */
    I decode(RawItem item) throws InvalidItemException;

    /** The learner a fresh trainer of this kind feeds its items to. */
    ItemLearner<I> learner(ContrastiveTrainer trainer, ReplayPlan plan);

    /** What an item is published as: usually itself under its id, one input. */
    List<EmbeddingInput> embeddingInputs(String id, I item);

    /** The Embedding.kind values it publishes (usually its own name; events: item and user). */
    default List<String> embeddingKinds() {
        return List.of(name());
    }

    /** The entity its items describe and update, if any; then the embed path is partitioned by entity. */
    default Optional<EntityHistory<I>> entityHistory() {
        return Optional.empty();
    }

    /** The encoder a fresh trainer of this kind builds, from the settings. */
    EncoderSpec encoderSpec();

    /** Rebuilds the encoder a snapshot of this kind was made with. */
    EncoderSpec encoderSpec(Map<String, String> snapshotConfig);
}
