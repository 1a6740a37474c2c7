package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.Similarity;
import io.streamcl.learn.TrainerConfig;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The application's topology (see the README's picture):
 *
 * <pre>
 * raw-items ─> decode ─bad─> raw-items-dlq
 *                 ├─> train-&lt;kind&gt; (1 partition) ─> trainer-&lt;kind&gt; ─> models
 *                 └─> embed (all partitions; newest snapshot per kind from the global models store) ─> embeddings
 * </pre>
 *
 * No model maths here: processors coordinate, {@code learn} computes.
 */
public final class LearnerTopology {
    public static final String PENDING_STORE = "embed-pending";
    public static final String MODELS_STORE = "models-store";

    private LearnerTopology() {}

    public static Topology buildTopology(Settings settings, ItemKinds kinds, PipelineMetrics metrics, Device device) {
        Topics topics = Topics.from(settings);
        AvroSerde<RawItem> rawSerde = AvroSerde.of(RawItem.class);
        AvroSerde<ModelSnapshot> snapshotSerde = AvroSerde.of(ModelSnapshot.class);
        Topology t = new Topology();

        t.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(), snapshotSerde)
                        .withLoggingDisabled(), // the models topic is its changelog
                "models-source", Serdes.String().deserializer(), snapshotSerde.deserializer(), topics.models(),
                "models-store-updater", NewestSnapshotKeeper::new);

        t.addSource("raw-source", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.rawItems());
        t.addProcessor("decode", () -> new DecodeProcessor(kinds, metrics, "dead-letter-sink", "train-router", "embed"),
                "raw-source");
        t.addSink("dead-letter-sink", topics.deadLetters(), Serdes.String().serializer(),
                upcast(AvroSerde.of(DeadLetter.class).serializer()), "decode");
        t.addSink("train-router", (key, value, ctx) -> topics.train(kindOf(kinds, (RawItem) value)),
                Serdes.String().serializer(), upcast(rawSerde.serializer()), "decode");

        int embedBatch = settings.get(Settings.EMBED_BATCH_SIZE);
        Duration embedLinger = Duration.ofMillis(settings.get(Settings.EMBED_LINGER_MS));
        t.addProcessor("embed", new EmbedSupplier(kinds, metrics, device, embedBatch, embedLinger, rawSerde), "decode");
        t.addSink("embeddings-sink", topics.embeddings(), Serdes.String().serializer(),
                AvroSerde.of(Embedding.class).serializer(), "embed");

        for (ItemKind<?> kind : kinds.all()) {
            String source = "train-source-" + kind.name();
            String trainer = "trainer-" + kind.name();
            t.addSource(source, Serdes.String().deserializer(), rawSerde.deserializer(), topics.train(kind.name()));
            t.addProcessor(trainer, trainerSupplier(kind, plan(settings, kind, device), metrics), source);
            t.addSink("models-sink-" + kind.name(), topics.models(), Serdes.String().serializer(),
                    snapshotSerde.serializer(), trainer);
        }
        return t;
    }

    static TrainerProcessor.Plan plan(Settings s, ItemKind<?> kind, Device device) {
        TrainerConfig trainer = new TrainerConfig(
                TrainerConfig.Method.parse(s.get(Settings.METHOD)),
                Similarity.parse(s.get(Settings.SIMILARITY)),
                s.get(Settings.TEMPERATURE), s.get(Settings.MARGIN), s.get(Settings.MOMENTUM),
                s.get(Settings.BANK_SIZE), s.get(Settings.LEARNING_RATE), s.get(Settings.SEED));
        return new TrainerProcessor.Plan(kind.name() + "-" + s.get(Settings.METHOD), trainer, device,
                s.get(Settings.BATCH_SIZE), s.get(Settings.REPLAY_CAPACITY), s.get(Settings.REPLAY_UPDATES),
                s.get(Settings.SNAPSHOT_EVERY), Duration.ofMillis(s.get(Settings.BATCH_LINGER_MS)), s.get(Settings.SEED));
    }

    private static <I> ProcessorSupplier<String, RawItem, String, ModelSnapshot> trainerSupplier(
            ItemKind<I> kind, TrainerProcessor.Plan plan, PipelineMetrics metrics) {
        return () -> new TrainerProcessor<>(kind, plan, metrics);
    }

    private static String kindOf(ItemKinds kinds, RawItem item) {
        return kinds.forPayload(item.getPayload()).orElseThrow().name(); // decode only forwards known kinds
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serializer<Object> upcast(Serializer<T> s) {
        return (Serializer) s;
    }

    /** The embed processor and the store it owns (the global models store is shared by all). */
    private record EmbedSupplier(ItemKinds kinds, PipelineMetrics metrics, Device device, int batch, Duration linger,
            AvroSerde<RawItem> rawSerde) implements ProcessorSupplier<String, RawItem, String, Embedding> {
        @Override
        public Processor<String, RawItem, String, Embedding> get() {
            return new EmbedProcessor(kinds, metrics, device, batch, linger, Duration.ofMillis(200));
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_STORE),
                    Serdes.String(), rawSerde));
        }
    }

    /** Keeps the newest snapshot per kind (a restarted trainer may re-publish an older one last). */
    private static final class NewestSnapshotKeeper implements Processor<String, ModelSnapshot, Void, Void> {
        private KeyValueStore<String, ModelSnapshot> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(MODELS_STORE);
        }

        @Override
        public void process(Record<String, ModelSnapshot> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            ModelSnapshot current = store.get(record.key());
            if (current == null || current.getVersion() <= record.value().getVersion()) {
                store.put(record.key(), record.value());
            }
        }
    }
}
