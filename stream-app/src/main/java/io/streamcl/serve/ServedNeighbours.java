package io.streamcl.serve;

import io.streamcl.index.VersionIndex;
import io.streamcl.kind.EntityHistory;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.topology.FeedQueries;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The nearest-neighbour side of a served learner: the updates queue the topology fills, the indexes, the thread
 * that feeds them, and the {@link NeighbourView} the endpoints read, made of the learner's interactive queries.
 */
final class ServedNeighbours implements AutoCloseable {
    /** Updates waiting for the feeder; past this the feeder reads the stores again. */
    static final int QUEUE_CAPACITY = 200_000;
    /** How often the feeder looks at partitions, updates and markers. */
    static final Duration FEED_EVERY = Duration.ofMillis(500);

    private final NeighbourIndexes indexes = new NeighbourIndexes();
    private final EmbeddingUpdateQueue updates = new EmbeddingUpdateQueue(QUEUE_CAPACITY);
    private IndexFeeder feeder;

    /** What the topology tells of every stored embedding. */
    EmbeddingUpdateQueue updates() {
        return updates;
    }

    /** Starts following the learner's feed, and returns what the endpoints read. */
    NeighbourView start(FeedQueries queries, ItemKinds kinds) {
        feeder = new IndexFeeder(new IndexedFeed() {
            @Override
            public Set<Integer> localPartitions() {
                return queries.localEmbeddingPartitions();
            }

            @Override
            public void forEachEmbedding(int partition, BiConsumer<String, io.streamcl.schema.Embedding> action) {
                queries.forEachEmbedding(partition, action);
            }

            @Override
            public Map<String, Long> completeVersions() {
                return queries.completeVersions();
            }
        }, updates, indexes, FEED_EVERY).start();
        return view(queries, kinds, indexes);
    }

    static NeighbourView view(FeedQueries queries, ItemKinds kinds, NeighbourIndexes indexes) {
        Set<String> embeddingKinds = new HashSet<>();
        kinds.all().forEach(k -> embeddingKinds.addAll(k.embeddingKinds()));
        Optional<ItemKind<?>> withUsers = kinds.all().stream().filter(k -> k.entityHistory().isPresent()).findFirst();
        return new NeighbourView() {
            @Override
            public Set<String> kinds() {
                return Set.copyOf(embeddingKinds);
            }

            @Override
            public Optional<VersionIndex> index(String kind) {
                return indexes.complete(kind);
            }

            @Override
            public Set<Integer> covered() {
                return indexes.covered();
            }

            @Override
            public FeedQueries.Owner ownerOf(String id) {
                return queries.ownerOf(id);
            }

            @Override
            public List<FeedQueries.Server> servers() {
                return queries.embeddingServers();
            }

            @Override
            public FeedQueries.Owner ownerOfHistory(String user) {
                return withUsers.<FeedQueries.Owner>map(k -> queries.ownerOfHistory(k.name(), user))
                        .orElseGet(() -> new FeedQueries.Owner.Unknown("the app learns no users"));
            }

            @Override
            public List<String> seen(String user, int partition) {
                ItemKind<?> kind = withUsers.orElseThrow();
                EntityHistory<?> history = kind.entityHistory().orElseThrow();
                return queries.history(kind.name(), user, partition).map(history::itemKeys).orElse(List.of());
            }
        };
    }

    @Override
    public void close() {
        if (feeder != null) {
            feeder.close();
        }
        indexes.close();
    }
}
