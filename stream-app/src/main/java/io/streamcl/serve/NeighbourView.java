package io.streamcl.serve;

import io.streamcl.index.VersionIndex;
import io.streamcl.topology.FeedQueries;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code /neighbours} and {@code /recommend} read: this instance's indexes, where ids and histories live,
 * and which instances hold which partitions. The server holds {@link #STARTING} until the learner is up.
 */
interface NeighbourView {
    /** The kinds of embedding the app makes (image, sentence, item, user). */
    Set<String> kinds();

    /** This instance's index of the kind's newest complete version. */
    Optional<VersionIndex> index(String kind);

    /** The partitions of the embeddings topic this instance's indexes cover. */
    Set<Integer> covered();

    FeedQueries.Owner ownerOf(String id);

    /** Every instance that holds embeddings, this one included; empty while the group settles. */
    List<FeedQueries.Server> servers();

    /** Where a user's history lives; {@link FeedQueries.Owner.Unknown} when the app has no users. */
    FeedQueries.Owner ownerOfHistory(String user);

    /**
     * The keys of the items a user's history holds, from a partition of this instance; empty for a user with none.
     *
     * @throws RuntimeException while the store is restored or moves
     */
    List<String> seen(String user, int partition);

    NeighbourView STARTING = new NeighbourView() {
        @Override
        public Set<String> kinds() {
            return Set.of();
        }

        @Override
        public Optional<VersionIndex> index(String kind) {
            return Optional.empty();
        }

        @Override
        public Set<Integer> covered() {
            return Set.of();
        }

        @Override
        public FeedQueries.Owner ownerOf(String id) {
            return new FeedQueries.Owner.Unknown("the learner is starting");
        }

        @Override
        public List<FeedQueries.Server> servers() {
            return List.of();
        }

        @Override
        public FeedQueries.Owner ownerOfHistory(String user) {
            return new FeedQueries.Owner.Unknown("the learner is starting");
        }

        @Override
        public List<String> seen(String user, int partition) {
            return List.of();
        }
    };
}
