package io.streamcl.topology;

import io.streamcl.schema.Embedding;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
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
    private final String embeddingsTopic;

    FeedQueries(KafkaStreams streams, HostInfo self, String embeddingsTopic) {
        this.streams = streams;
        this.self = self;
        this.embeddingsTopic = embeddingsTopic;
    }

    /** An instance that holds embeddings, and the partitions of the embeddings topic it holds. */
    public record Server(HostInfo host, boolean self, Set<Integer> partitions) {}

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
        return ownerIn(LatestEmbeddings.STORE, id, "the embeddings of this id");
    }

    /** Which instance holds an entity's history (a user's items), by the partitioner of its by-entity topic. */
    public Owner ownerOfHistory(String kind, String entity) {
        return ownerIn(historiesStore(kind), entity, "the history of this entity");
    }

    private Owner ownerIn(String store, String key, String what) {
        KeyQueryMetadata m;
        try {
            m = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        } catch (IllegalStateException e) { // not running yet, or already stopping
            return new Owner.Unknown("the learner is " + streams.state());
        }
        if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Owner.Unknown("no instance holds " + what + " yet (state " + streams.state() + ")");
        }
        return m.activeHost().equals(self) ? new Owner.Here(m.partition()) : new Owner.There(m.activeHost());
    }

    /**
     * An entity's stored history, as the kind's {@code EntityHistory} wrote it, in a partition this instance holds.
     *
     * @throws InvalidStateStoreException while the partition's store is restored or moves away
     */
    public Optional<byte[]> history(String kind, String entity, int partition) {
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(StoreQueryParameters.fromNameAndType(
                historiesStore(kind), QueryableStoreTypes.<String, byte[]>keyValueStore()).withPartition(partition));
        return Optional.ofNullable(store.get(entity));
    }

    private static String historiesStore(String kind) {
        return LearnerTopology.HISTORIES_STORE + "-" + kind;
    }

    /**
     * Every instance that holds embeddings, this one included, with the partitions it holds; empty while the
     * group has not settled.
     */
    public List<Server> embeddingServers() {
        List<Server> servers = new ArrayList<>();
        try {
            for (StreamsMetadata m : streams.streamsMetadataForStore(LatestEmbeddings.STORE)) {
                Set<Integer> partitions = new TreeSet<>();
                m.topicPartitions().stream().filter(tp -> tp.topic().equals(embeddingsTopic))
                        .forEach(tp -> partitions.add(tp.partition()));
                servers.add(new Server(m.hostInfo(), m.hostInfo().equals(self), partitions));
            }
        } catch (IllegalStateException e) { // not running yet, or already stopping
            return List.of();
        }
        return servers;
    }

    /** The partitions of the embeddings topic this instance holds now. */
    public Set<Integer> localEmbeddingPartitions() {
        return embeddingServers().stream().filter(Server::self).findFirst().map(Server::partitions).orElse(Set.of());
    }

    /**
     * Every embedding a partition's store holds.
     *
     * @throws InvalidStateStoreException while the partition's store is restored or moves away
     */
    public void forEachEmbedding(int partition, BiConsumer<String, Embedding> action) {
        ReadOnlyKeyValueStore<String, Embedding> store = streams.store(StoreQueryParameters.fromNameAndType(
                LatestEmbeddings.STORE, QueryableStoreTypes.<String, Embedding>keyValueStore()).withPartition(partition));
        try (KeyValueIterator<String, Embedding> all = store.all()) {
            all.forEachRemaining(kv -> action.accept(kv.key, kv.value));
        }
    }

    /** Per kind of embedding, the version the completion markers say is complete ({@link EmbeddingStatuses}). */
    public Map<String, Long> completeVersions() {
        ReadOnlyKeyValueStore<String, EmbeddingStatus> markers = streams.store(StoreQueryParameters.fromNameAndType(
                LearnerTopology.STATUS_STORE, QueryableStoreTypes.<String, EmbeddingStatus>keyValueStore()));
        List<EmbeddingStatus> all = new ArrayList<>();
        try (KeyValueIterator<String, EmbeddingStatus> it = markers.all()) {
            it.forEachRemaining(kv -> all.add(kv.value));
        }
        return EmbeddingStatuses.completeByEmbeddingKind(all);
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
