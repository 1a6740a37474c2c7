package io.streamcl.topology;

import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * What a running app's stores say, by Kafka Streams' interactive queries: which version each kind serves (the
 * global models store) and the newest embedding of an id ({@link LatestEmbeddings}), on this instance or, by its
 * owner's advertised address, on another. Every answer is read at the moment of asking; a store that is being
 * restored or moved says so instead of answering.
 */
public final class FeedQueries {
    private final KafkaStreams streams;
    private final HostInfo self;

    FeedQueries(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Where an id's embedding lives. */
    public sealed interface Owner {
        /** On this instance, in this partition of the embeddings topic. */
        record Here(int partition) implements Owner {}

        /** On the instance that advertises this address. */
        record There(HostInfo host) implements Owner {}

        /** Nowhere just now: the store is not assigned (a rebalance, a start), with the reason. */
        record Unknown(String reason) implements Owner {}
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The version a kind serves, pinned or promoted; empty when none is on the models topic yet. */
    public Optional<Long> servedVersion(String kind) {
        ReadOnlyKeyValueStore<String, ModelSnapshot> models = streams.store(StoreQueryParameters.fromNameAndType(
                LearnerTopology.MODELS_STORE, QueryableStoreTypes.keyValueStore()));
        return ServedModels.served(models, kind).map(ModelSnapshot::getVersion);
    }

    /** Which instance holds the id's embedding, by the embeddings topic's partitioner (the producer's). */
    public Owner ownerOf(String id) {
        KeyQueryMetadata m;
        try {
            m = streams.queryMetadataForKey(LatestEmbeddings.STORE, id, Serdes.String().serializer());
        } catch (IllegalStateException e) { // not running yet, or already stopping
            return new Owner.Unknown("the learner is " + streams.state());
        }
        if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Owner.Unknown("no instance holds the embeddings of this id yet (state " + streams.state() + ")");
        }
        return m.activeHost().equals(self) ? new Owner.Here(m.partition()) : new Owner.There(m.activeHost());
    }

    /**
     * The newest embedding of an id in a partition this instance holds.
     *
     * @throws InvalidStateStoreException while the partition's store is restored or moves away
     */
    public Optional<Embedding> embedding(String id, int partition) {
        ReadOnlyKeyValueStore<String, Embedding> store = streams.store(StoreQueryParameters.fromNameAndType(
                LatestEmbeddings.STORE, QueryableStoreTypes.<String, Embedding>keyValueStore()).withPartition(partition));
        return Optional.ofNullable(store.get(id));
    }
}
