package io.streamcl.topology;

import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.EmbeddingInput;
import io.streamcl.kind.ItemKind;
import io.streamcl.schema.RawItem;
import java.util.List;
import java.util.Optional;

/**
 * A raw item decoded by its kind, handed from processor to processor within a task so that the bytes of
 * an image or a sentence are decoded once per path, not once per step.
 *
 * @param <I> the decoded item
 */
record DecodedItem<I>(RawItem raw, ItemKind<I> kind, I item) {

    /** @throws InvalidItemException with the reason a dead letter will carry */
    static <I> DecodedItem<I> decode(ItemKind<I> kind, RawItem raw) throws InvalidItemException {
        return new DecodedItem<>(raw, kind, kind.decode(raw));
    }

    /** The entity the item belongs to, if its kind has entities. */
    Optional<String> entity() {
        return kind.entityHistory().map(h -> h.entityId(item));
    }

    List<EmbeddingInput> embeddingInputs() {
        return kind.embeddingInputs(raw.getId(), item);
    }
}
