package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import io.streamcl.topology.FeedQueries;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the endpoints read of the running learner. The server holds {@link #STARTING} until the learner is up
 * (it listens first, so that a free port can be advertised to Kafka Streams), then {@link #of} it.
 */
interface LearnerView {
    KafkaStreams.State state();

    /** The kinds the learner learns: each must serve a model before the app is ready. */
    List<String> kinds();

    /**
     * The version a kind serves; empty when none yet.
     *
     * @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the models store is not queryable
     */
    Optional<Long> servedVersion(String kind);

    FeedQueries.Owner ownerOf(String id);

    /** @throws org.apache.kafka.streams.errors.InvalidStateStoreException while the partition moves */
    Optional<Embedding> embedding(String id, int partition);

    /** Before the learner has started. */
    LearnerView STARTING = new LearnerView() {
        @Override
        public KafkaStreams.State state() {
            return KafkaStreams.State.CREATED;
        }

        @Override
        public List<String> kinds() {
            return List.of();
        }

        @Override
        public Optional<Long> servedVersion(String kind) {
            return Optional.empty();
        }

        @Override
        public FeedQueries.Owner ownerOf(String id) {
            return new FeedQueries.Owner.Unknown("the learner is starting");
        }

        @Override
        public Optional<Embedding> embedding(String id, int partition) {
            return Optional.empty();
        }
    };

    /** The running learner's stores, by interactive queries. */
    static LearnerView of(FeedQueries queries, List<String> kinds) {
        List<String> copy = List.copyOf(kinds);
        return new LearnerView() {
            @Override
            public KafkaStreams.State state() {
                return queries.state();
            }

            @Override
            public List<String> kinds() {
                return copy;
            }

            @Override
            public Optional<Long> servedVersion(String kind) {
                return queries.servedVersion(kind);
            }

            @Override
            public FeedQueries.Owner ownerOf(String id) {
                return queries.ownerOf(id);
            }

            @Override
            public Optional<Embedding> embedding(String id, int partition) {
                return queries.embedding(id, partition);
            }
        };
    }
}
