package io.streamcl.topology;

import io.streamcl.schema.Embedding;
import io.streamcl.schema.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The newest embedding of every id, as the {@code embeddings} topic holds it: a partitioned store read back from
 * that topic, for lookups by interactive queries. Each instance holds the partitions of the topic it is assigned,
 * so a lookup goes to the instance that owns the key's partition.
 *
 * <p>The store is read-only in Kafka Streams' sense: the compacted {@code embeddings} topic is its changelog, so it
 * costs no second copy on the broker, and a task that moves restores it from the topic itself. Its serdes are
 * those of the embeddings sink, because a restore copies the topic's bytes into the store unread.
 */
public final class LatestEmbeddings {
    /** The store's name, for interactive queries. */
    public static final String STORE = "latest-embeddings";
    static final String SOURCE = "latest-embeddings-source";
    static final String UPDATER = "latest-embeddings-updater";

    private LatestEmbeddings() {}

    /** Adds the store and the sub-topology that keeps it to a topology that writes {@code topics.embeddings()}. */
    public static void addTo(Topology topology, Topics topics) {
        addTo(topology, topics, EmbeddingUpdates.NONE);
    }

    /** The same, telling {@code updates} of every record it stores. */
    public static void addTo(Topology topology, Topics topics, EmbeddingUpdates updates) {
        AvroSerde<Embedding> serde = AvroSerde.of(Embedding.class);
        topology.addReadOnlyStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), serde)
                        .withLoggingDisabled(), // the embeddings topic is its changelog
                SOURCE, Serdes.String().deserializer(), serde.deserializer(), topics.embeddings(), UPDATER,
                () -> new Keeper(updates));
    }

    /** Keeps the last record per key, as compaction does; a tombstone removes the id. */
    private static final class Keeper implements Processor<String, Embedding, Void, Void> {
        private final EmbeddingUpdates updates;
        private KeyValueStore<String, Embedding> store;
        private int partition;

        Keeper(EmbeddingUpdates updates) {
            this.updates = updates;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
            partition = context.taskId().partition();
        }

        @Override
        public void process(Record<String, Embedding> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
            updates.updated(partition, record.key(), record.value());
        }
    }
}
