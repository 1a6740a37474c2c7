package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import io.streamcl.topology.FeedQueries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * {@code GET /embeddings/{id}}: the newest embedding of an id, from the instance whose store holds the id's
 * partition of the embeddings topic: this one, or the owner it forwards the request to.
 */
final class EmbeddingLookup {
    /** Longer ids are refused before any store is asked. */
    static final int MAX_ID_LENGTH = 4096;

    private final OwnerForwarding forwarding;

    EmbeddingLookup(OwnerForwarding forwarding) {
        this.forwarding = forwarding;
    }

    /**
     * @param forwarded     whether another instance sent this request on (it is then answered here or not at all)
     * @param authorization the caller's header, passed on when forwarding
     */
    Reply get(LearnerView learner, String id, boolean forwarded, String authorization) {
        if (id.length() > MAX_ID_LENGTH) {
            return Reply.error(400, "an id is at most " + MAX_ID_LENGTH + " characters");
        }
        FeedQueries.Owner owner = learner.ownerOf(id);
        if (owner instanceof FeedQueries.Owner.Unknown u) {
            return Reply.error(503, u.reason() + "; try again");
        }
        if (owner instanceof FeedQueries.Owner.There there) {
            if (forwarded) {
                return Reply.error(503, "forwarded here, but " + there.host() + " holds this id now (a rebalance);"
                        + " try again");
            }
            return forwarding.get(there.host(), "/embeddings/" + encode(id), authorization);
        }
        int partition = ((FeedQueries.Owner.Here) owner).partition();
        Optional<Embedding> found;
        try {
            found = learner.embedding(id, partition);
        } catch (InvalidStateStoreException e) {
            return Reply.error(503, "the embeddings of partition " + partition + " are being restored or moved: "
                    + e.getMessage() + "; try again");
        } catch (RuntimeException e) { // a record on the topic that is not an Embedding: this id, not the app
            return Reply.error(500, "the embeddings topic holds a record for this id that cannot be read: "
                    + e.getMessage());
        }
        return found.map(e -> Reply.json(200, EmbeddingView.of(e)))
                .orElseGet(() -> Reply.error(404, "no embedding of id '" + id + "'"));
    }

    /** The id as one path segment. */
    static String encode(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
