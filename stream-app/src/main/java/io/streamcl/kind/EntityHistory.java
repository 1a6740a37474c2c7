package io.streamcl.kind;

import java.util.List;
import java.util.Optional;

/**
 * For kinds whose items are things an entity did (a user's events): the entity has an embedding of its
 * own, made from its recent items. The embed path partitions such items by entity and keeps each
 * entity's history in a state store, as the bytes this interface reads and writes, so the topology holds
 * state without knowing what is in it.
 *
 * @param <I> the decoded item
 */
public interface EntityHistory<I> {

    /** What the entity is, for names: "user" gives the topic {@code <kind>-by-user}. */
    String entityName();

    /** The id of the entity that did the item (the user id). */
    String entityId(I item);

    /**
     * The history with the item added.
     *
     * @param history the stored bytes, empty when the entity is new
     * @return the bytes to store; absent when the item leaves the history as it was (e.g. too late)
     */
    Optional<byte[]> update(Optional<byte[]> history, I item);

    /** What the entity is published as, from its stored history. */
    EmbeddingInput embeddingInput(String entityId, byte[] history);

    /**
     * The keys the items of a stored history are published under (a user's {@code item:<id>}s): what the entity
     * is known to have done, e.g. for recommendations that leave out what a user has seen.
     *
     * @throws IllegalArgumentException for bytes this version cannot read
     */
    List<String> itemKeys(byte[] history);
}
