package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.Similarity;
import io.streamcl.learn.TrainerConfig;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.TopicConfig;
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
 *                 ├─> embed (all partitions; newest snapshot per kind from the global models store) ─> embeddings
 *                 └─> raw-items-&lt;kind&gt;-by-&lt;entity&gt; ─> embed-&lt;kind&gt; (+ entity histories) ─> embeddings
 * </pre>
 *
 * The last branch is for kinds with an entity (events: users), keyed by entity so that each entity's
 * history lives in one task.
 *
 * No model maths here: processors coordinate, {@code learn} computes.
 */
public final class LearnerTopology {
    public static final String PENDING_STORE = "embed-pending";
    public static final String MODELS_STORE = "models-store";
    /** Prefix of each trainer's store of its whole state; see {@link #checkpointStore}. */
    public static final String CHECKPOINTS_STORE = "trainer-checkpoints";
    /** Prefix of the store of each entity's history, per kind with entities. */
    public static final String HISTORIES_STORE = "entity-histories";

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
        t.addProcessor("decode", () -> new DecodeProcessor(kinds, metrics, "dead-letter-sink", "train-router", "embed",
                "entity-router"), "raw-source");
        t.addSink("dead-letter-sink", topics.deadLetters(), Serdes.String().serializer(),
                upcast(AvroSerde.of(DeadLetter.class).serializer()), "decode");
        t.addSink("train-router", (key, value, ctx) -> topics.train(kindOf(kinds, (RawItem) value)),
                Serdes.String().serializer(), upcast(rawSerde.serializer()), "decode");

        t.addSink("entity-router", (key, value, ctx) -> entityTopic(kinds, topics, (RawItem) value),
                Serdes.String().serializer(), upcast(rawSerde.serializer()), "decode");

        int embedBatch = settings.get(Settings.EMBED_BATCH_SIZE);
        Duration embedLinger = Duration.ofMillis(settings.get(Settings.EMBED_LINGER_MS));
        int reembed = settings.get(Settings.REEMBED_RECENT);
        List<ItemKind<?>> standalone = kinds.all().stream().filter(k -> k.entityHistory().isEmpty()).toList();
        List<String> embedders = new ArrayList<>();
        t.addProcessor("embed", new EmbedSupplier(standalone, new EmbedProcessor.StoreNames(PENDING_STORE, null),
                metrics, device, embedBatch, embedLinger, reembed, rawSerde), "decode");
        embedders.add("embed");
        for (ItemKind<?> kind : kinds.all()) {
            if (kind.entityHistory().isEmpty()) {
                continue;
            }
            String source = "entity-source-" + kind.name();
            String embedder = "embed-" + kind.name();
            t.addSource(source, Serdes.String().deserializer(), rawSerde.deserializer(), entityTopic(topics, kind));
            t.addProcessor(embedder, new EmbedSupplier(List.of(kind), new EmbedProcessor.StoreNames(
                    PENDING_STORE + "-" + kind.name(), HISTORIES_STORE + "-" + kind.name()),
                    metrics, device, embedBatch, embedLinger, reembed, rawSerde), source);
            embedders.add(embedder);
        }
        t.addSink("embeddings-sink", topics.embeddings(), Serdes.String().serializer(),
                AvroSerde.of(Embedding.class).serializer(), embedders.toArray(String[]::new));

        for (ItemKind<?> kind : kinds.all()) {
            String source = "train-source-" + kind.name();
            String trainer = "trainer-" + kind.name();
            t.addSource(source, Serdes.String().deserializer(), rawSerde.deserializer(), topics.train(kind.name()));
            t.addProcessor(trainer, trainerSupplier(kind, plan(settings, kind, device), metrics), source);
            // a checkpoint of a large encoder is tens of MB: the changelog must accept it
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(checkpointStore(kind)),
                    Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(Map.of(
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(TopicSetup.MAX_MESSAGE_BYTES))),
                    trainer);
            t.addSink("models-sink-" + kind.name(), topics.models(), Serdes.String().serializer(),
                    snapshotSerde.serializer(), trainer);
        }
        return t;
    }

    /** How every trainer learns, from the settings. */
    public static TrainerConfig trainerConfig(Settings s) {
        return new TrainerConfig(
                TrainerConfig.Method.parse(s.get(Settings.METHOD)),
                Similarity.parse(s.get(Settings.SIMILARITY)),
                s.get(Settings.TEMPERATURE), s.get(Settings.MARGIN), s.get(Settings.MOMENTUM),
                s.get(Settings.BANK_SIZE), s.get(Settings.LEARNING_RATE), s.get(Settings.SEED));
    }

    /** How every trainer turns its stream into steps, from the settings. */
    public static ReplayPlan replayPlan(Settings s) {
        return new ReplayPlan(s.get(Settings.BATCH_SIZE), s.get(Settings.REPLAY_CAPACITY),
                s.get(Settings.REPLAY_UPDATES), s.get(Settings.SEED));
    }

    static TrainerProcessor.Plan plan(Settings s, ItemKind<?> kind, Device device) {
        TrainerConfig trainer = trainerConfig(s);
        ReplayPlan replay = replayPlan(s);
        return new TrainerProcessor.Plan(kind.name() + "-" + s.get(Settings.METHOD), trainer, device, replay,
                s.get(Settings.REPLAY_MAX_BACKLOG), s.get(Settings.SNAPSHOT_EVERY), Duration.ofMillis(s.get(Settings.BATCH_LINGER_MS)),
                Duration.ofMillis(s.get(Settings.CHECKPOINT_INTERVAL_MS)));
    }

    private static <I> ProcessorSupplier<String, RawItem, String, ModelSnapshot> trainerSupplier(
            ItemKind<I> kind, TrainerProcessor.Plan plan, PipelineMetrics metrics) {
        return () -> new TrainerProcessor<>(kind, plan, metrics);
    }

    /** The store of a kind's trainer checkpoints (one per kind, so that trainers stay separate tasks). */
    static String checkpointStore(ItemKind<?> kind) {
        return CHECKPOINTS_STORE + "-" + kind.name();
    }

    /** The topic feeding a kind's entity embedders, for kinds with entities. */
    public static String entityTopic(Topics topics, ItemKind<?> kind) {
        return topics.byEntity(kind.name(), kind.entityHistory().orElseThrow().entityName());
    }

    private static String entityTopic(ItemKinds kinds, Topics topics, RawItem item) {
        return entityTopic(topics, kinds.forPayload(item.getPayload()).orElseThrow());
    }

    private static String kindOf(ItemKinds kinds, RawItem item) {
        return kinds.forPayload(item.getPayload()).orElseThrow().name(); // decode only forwards known kinds
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serializer<Object> upcast(Serializer<T> s) {
        return (Serializer) s;
    }

    /** The embed processor and the store it owns (the global models store is shared by all). */
    private record EmbedSupplier(List<ItemKind<?>> kinds, EmbedProcessor.StoreNames storeNames, PipelineMetrics metrics,
            Device device, int batch, Duration linger, int reembedRecent, AvroSerde<RawItem> rawSerde)
            implements ProcessorSupplier<String, RawItem, String, Embedding> {
        @Override
        public Processor<String, RawItem, String, Embedding> get() {
            return new EmbedProcessor(kinds, storeNames, metrics, device, batch, linger, Duration.ofMillis(200),
                    reembedRecent);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            Set<StoreBuilder<?>> stores = new HashSet<>();
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.pending()),
                    Serdes.String(), rawSerde));
            if (storeNames.histories() != null) {
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.histories()),
                        Serdes.String(), Serdes.ByteArray()));
            }
            return stores;
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
