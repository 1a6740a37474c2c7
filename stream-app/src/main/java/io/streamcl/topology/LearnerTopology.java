package io.streamcl.topology;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.LearningRateSchedule;
import io.streamcl.learn.Similarity;
import io.streamcl.learn.TrainerConfig;
import io.streamcl.schema.BackfillProgress;
import io.streamcl.schema.CatalogueEntry;
import io.streamcl.schema.DeadLetter;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.EmbeddingStatus;
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
import org.apache.kafka.streams.AutoOffsetReset;
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
 *                 ├─> embed (all partitions; catalogue; served version per kind from the global models store)
 *                 │     ─> embeddings, and embedding-status when a backfill completes
 *                 └─> raw-items-&lt;kind&gt;-by-&lt;entity&gt; ─> embed-&lt;kind&gt; (+ entity histories) ─> the same
 * </pre>
 *
 * The last branch is for kinds with an entity (events: users), keyed by entity so that each entity's
 * history lives in one task.
 *
 * No model maths here: processors coordinate, {@code learn} computes.
 */
public final class LearnerTopology {
    /**
     * Prefixes of each embed processor's stores: its catalogue, the versions its entries were published
     * under, their arrival order, its queue, its backfill.
     */
    public static final String CATALOGUE_STORE = "embed-catalogue";
    public static final String CATALOGUE_VERSIONS_STORE = "embed-catalogue-versions";
    public static final String CATALOGUE_ORDER_STORE = "embed-catalogue-order";
    public static final String QUEUE_STORE = "embed-queue";
    public static final String BACKFILL_STORE = "embed-backfill";
    public static final String MODELS_STORE = "models-store";
    /** The global store of completion markers, from the status topic. */
    public static final String STATUS_STORE = "embedding-status-store";
    static final String EMBEDDINGS_SINK = "embeddings-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    static final String STATUS_SINK = "status-sink";
    /** Prefix of each trainer's store of its whole state; see {@link #checkpointStore}. */
    public static final String CHECKPOINTS_STORE = "trainer-checkpoints";
    /** Prefix of the store of each entity's history, per kind with entities. */
    public static final String HISTORIES_STORE = "entity-histories";

    private LearnerTopology() {}

    /** The topology for a broker whose input topics have one partition each (tests). */
    public static Topology buildTopology(Settings settings, ItemKinds kinds, PipelineMetrics metrics, ComputeDevice device) {
        return buildTopology(settings, kinds, metrics, device, Map.of(), new RefusedRecords());
    }

    /**
     * @param partitions the partitions of each topic the embedders read, as {@link TopicSetup#ensureTopics}
     *     found them (a topic not listed has one): the completion markers say how many there are
     * @param refused the keys whose records the broker refused, from the production handler
     */
    public static Topology buildTopology(Settings settings, ItemKinds kinds, PipelineMetrics metrics, ComputeDevice device,
            Map<String, Integer> partitions, RefusedRecords refused) {
        return buildTopology(settings, kinds, metrics, device, partitions, refused, false);
    }

    /**
     * @param trainInCaller each trainer trains on its stream thread, by the context's clock, instead of on a
     *     thread of its own: for a {@code TopologyTestDriver}, whose clock moves only when its test moves it
     */
    public static Topology buildTopology(Settings settings, ItemKinds kinds, PipelineMetrics metrics, ComputeDevice device,
            Map<String, Integer> partitions, RefusedRecords refused, boolean trainInCaller) {
        Topics topics = Topics.from(settings);
        AvroSerde<RawItem> rawSerde = AvroSerde.of(RawItem.class);
        AvroSerde<ModelSnapshot> snapshotSerde = AvroSerde.ofLarge(ModelSnapshot.class);
        Topology t = new Topology();

        t.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE), Serdes.String(),
                        new DecodedOncePerArray<>(snapshotSerde))
                        .withLoggingDisabled(), // the models topic is its changelog
                "models-source", Serdes.String().deserializer(), snapshotSerde.deserializer(), topics.models(),
                "models-store-updater", NewestSnapshotKeeper::new);
        AvroSerde<EmbeddingStatus> statusSerde = AvroSerde.of(EmbeddingStatus.class);
        t.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STATUS_STORE), Serdes.String(), statusSerde)
                        .withLoggingDisabled(), // the status topic is its changelog
                "status-source", Serdes.String().deserializer(), statusSerde.deserializer(), topics.status(),
                "status-store-updater", StatusKeeper::new);

        // an explicit reset policy makes Kafka Streams, not its consumer, reset a position that fell off the start
        // of a partition: the consumer then says so (GapReportingConsumer) instead of skipping the gap in silence
        t.addSource(AutoOffsetReset.earliest(), "raw-source", Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer(), topics.rawItems());
        Duration maxFuture = Duration.ofMillis(settings.get(Settings.EVENT_TIME_MAX_FUTURE_MS));
        t.addProcessor("decode", () -> new DecodeProcessor(kinds, metrics, maxFuture, refused, DEAD_LETTER_SINK,
                "train-router", "embed", "entity-router"), "raw-source");
        t.addSink("train-router", (key, value, ctx) -> topics.train(kindOf(kinds, (RawItem) value)),
                Serdes.String().serializer(), upcast(rawSerde.serializer()), "decode");

        t.addSink("entity-router", (key, value, ctx) -> entityTopic(kinds, topics, (RawItem) value),
                Serdes.String().serializer(), upcast(rawSerde.serializer()), "decode");

        List<ItemKind<?>> standalone = kinds.all().stream().filter(k -> k.entityHistory().isEmpty()).toList();
        List<String> embedders = new ArrayList<>();
        List<String> decoders = new ArrayList<>(); // of items re-keyed by entity
        t.addProcessor("embed", new EmbedSupplier(standalone, EmbedProcessor.StoreNames.withSuffix("", false),
                metrics, device, embedPlan(settings, partitions.getOrDefault(topics.rawItems(), 1))), "decode");
        embedders.add("embed");
        for (ItemKind<?> kind : kinds.all()) {
            if (kind.entityHistory().isEmpty()) {
                continue;
            }
            String source = "entity-source-" + kind.name();
            String embedder = "embed-" + kind.name();
            String topic = entityTopic(topics, kind);
            String decoder = "entity-decode-" + kind.name();
            t.addSource(source, Serdes.String().deserializer(), rawSerde.deserializer(), topic);
            t.addProcessor(decoder, () -> new RekeyedItemDecoder(kind, metrics, embedder), source);
            t.addProcessor(embedder, new EmbedSupplier(List.of(kind), EmbedProcessor.StoreNames.withSuffix(
                    "-" + kind.name(), true), metrics, device, embedPlan(settings, partitions.getOrDefault(topic, 1))),
                    decoder);
            embedders.add(embedder);
            decoders.add(decoder);
        }
        t.addSink(EMBEDDINGS_SINK, topics.embeddings(), Serdes.String().serializer(),
                upcast(AvroSerde.of(Embedding.class).serializer()), embedders.toArray(String[]::new));
        t.addSink(STATUS_SINK, topics.status(), Serdes.String().serializer(), upcast(statusSerde.serializer()),
                embedders.toArray(String[]::new));
        List<String> rejecting = new ArrayList<>(List.of("decode"));
        rejecting.addAll(embedders);
        rejecting.addAll(decoders);
        t.addSink(DEAD_LETTER_SINK, topics.deadLetters(), Serdes.String().serializer(),
                upcast(AvroSerde.of(DeadLetter.class).serializer()), rejecting.toArray(String[]::new));

        for (ItemKind<?> kind : kinds.all()) {
            String source = "train-source-" + kind.name();
            String trainer = "trainer-" + kind.name();
            t.addSource(source, Serdes.String().deserializer(), rawSerde.deserializer(), topics.train(kind.name()));
            t.addProcessor(trainer, trainerSupplier(kind, plan(settings, kind, device), metrics, trainInCaller),
                    source);
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
                s.get(Settings.BANK_SIZE), s.get(Settings.LEARNING_RATE), s.get(Settings.SEED),
                new LearningRateSchedule(s.get(Settings.LEARNING_RATE_WARMUP), s.get(Settings.LEARNING_RATE_DECAY),
                        s.get(Settings.LEARNING_RATE_FLOOR)), "on".equals(s.get(Settings.LOSS_SYMMETRIC)),
                TrainerConfig.Published.parse(s.get(Settings.SNAPSHOT_ENCODER)),
                s.get(Settings.LEARNING_RATE_TABLE_FACTOR));
    }

    /** How every trainer turns its stream into steps, from the settings. */
    public static ReplayPlan replayPlan(Settings s) {
        return new ReplayPlan(s.get(Settings.BATCH_SIZE), s.get(Settings.REPLAY_CAPACITY),
                s.get(Settings.REPLAY_UPDATES), s.get(Settings.SEED), s.get(Settings.PROMOTION_PROBE_ITEMS));
    }

    static TrainerProcessor.Plan plan(Settings settings, ItemKind<?> kind, ComputeDevice device) {
        Settings s = settings.forKind(kind.name());
        TrainerConfig trainer = trainerConfig(s);
        ReplayPlan replay = replayPlan(s);
        return new TrainerProcessor.Plan(kind.name() + "-" + s.get(Settings.METHOD), trainer, device, replay,
                s.get(Settings.REPLAY_MAX_BACKLOG), s.get(Settings.SNAPSHOT_EVERY), Duration.ofMillis(s.get(Settings.BATCH_LINGER_MS)),
                Duration.ofMillis(s.get(Settings.CHECKPOINT_INTERVAL_MS)), promotionPlan(s), s.get(Settings.TRAINER_THREADS));
    }

    static PromotionPolicy.Plan promotionPlan(Settings s) {
        return new PromotionPolicy.Plan(s.get(Settings.PROMOTION_TOLERANCE),
                Duration.ofMillis(s.get(Settings.PROMOTION_INTERVAL_MS)),
                Duration.ofMillis(s.get(Settings.PROMOTION_MAX_WAIT_MS)));
    }

    static EmbedProcessor.Plan embedPlan(Settings s, int partitions) {
        return new EmbedProcessor.Plan(s.get(Settings.EMBED_BATCH_SIZE), Duration.ofMillis(s.get(Settings.EMBED_LINGER_MS)),
                Duration.ofMillis(200), s.get(Settings.CATALOGUE_MAX_ITEMS), s.get(Settings.CATALOGUE_MAX_AGE_MS),
                s.get(Settings.BACKFILL_RATE), partitions);
    }

    private static <I> ProcessorSupplier<String, RawItem, String, ModelSnapshot> trainerSupplier(
            ItemKind<I> kind, TrainerProcessor.Plan plan, PipelineMetrics metrics, boolean trainInCaller) {
        return () -> new TrainerProcessor<>(kind, plan, metrics, trainInCaller);
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
        return entityTopic(topics, kinds.forItem(item).orElseThrow());
    }

    private static String kindOf(ItemKinds kinds, RawItem item) {
        return kinds.forItem(item).orElseThrow().name(); // decode only forwards known kinds
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T> Serializer<Object> upcast(Serializer<T> s) {
        return (Serializer) s;
    }

    /** The embed processor and the stores it owns (the global stores are shared by all). */
    private record EmbedSupplier(List<ItemKind<?>> kinds, EmbedProcessor.StoreNames storeNames, PipelineMetrics metrics,
            ComputeDevice device, EmbedProcessor.Plan plan) implements ProcessorSupplier<String, DecodedItem<?>, String, Object> {
        @Override
        public Processor<String, DecodedItem<?>, String, Object> get() {
            return new EmbedProcessor(kinds, storeNames, metrics, device, plan);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            Set<StoreBuilder<?>> stores = new HashSet<>();
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.catalogue()),
                    Serdes.String(), AvroSerde.of(CatalogueEntry.class)));
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.versions()),
                    Serdes.String(), Serdes.Long()));
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.order()),
                    Serdes.Long(), Serdes.String()));
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.queue()),
                    Serdes.String(), Serdes.ByteArray()));
            stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.backfill()),
                    Serdes.String(), AvroSerde.of(BackfillProgress.class)));
            if (storeNames.histories() != null) {
                stores.add(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeNames.histories()),
                        Serdes.String(), Serdes.ByteArray()));
            }
            return stores;
        }
    }

    /**
     * Keeps the newest snapshot per key: a kind's candidate and its gate-served version (a restarted trainer
     * may re-publish an older one last). A pinned version is whatever was pinned last, or none after a
     * tombstone.
     */
    private static final class NewestSnapshotKeeper implements Processor<String, ModelSnapshot, Void, Void> {
        private KeyValueStore<String, ModelSnapshot> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(MODELS_STORE);
        }

        @Override
        public void process(Record<String, ModelSnapshot> record) {
            if (record.key() == null) {
                return;
            }
            if (record.key().endsWith(ModelSnapshots.pinnedKey(""))) {
                if (record.value() == null) {
                    store.delete(record.key());
                } else {
                    store.put(record.key(), record.value());
                }
                return;
            }
            if (record.value() == null) {
                return;
            }
            ModelSnapshot current = store.get(record.key());
            if (current == null || current.getVersion() <= record.value().getVersion()) {
                store.put(record.key(), record.value());
            }
        }
    }

    /** Keeps the newest completion marker per kind and partition. */
    private static final class StatusKeeper implements Processor<String, EmbeddingStatus, Void, Void> {
        private KeyValueStore<String, EmbeddingStatus> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STATUS_STORE);
        }

        @Override
        public void process(Record<String, EmbeddingStatus> record) {
            if (record.key() != null && record.value() != null) {
                store.put(record.key(), record.value());
            }
        }
    }
}
