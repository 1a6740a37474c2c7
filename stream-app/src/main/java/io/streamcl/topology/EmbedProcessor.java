package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.EmbeddingInput;
import io.streamcl.kind.EntityHistory;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelInfo;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embed path, one per input partition: items wait in a changelogged store (so none is lost in a
 * crash) until a batch is full or the linger passes, then are embedded with the newest snapshot of their
 * kind found in the global models store and published, stamped with its version. Items of a kind with
 * no snapshot yet simply wait.
 *
 * <p>For a kind with an {@link EntityHistory} (events), records arrive keyed by entity (user), each
 * entity's history lives in a changelogged store of this task, updated as items arrive, and a flush also
 * publishes each entity that had items in it, from its history at that moment.
 */
final class EmbedProcessor implements Processor<String, RawItem, String, Embedding> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedProcessor.class);

    /** A loaded snapshot: the frozen encoder and what to stamp on its embeddings. */
    private record Loaded(ModelInfo info, Embedder embedder) {}

    /**
     * The stores this processor uses.
     *
     * @param histories the entity history store; null for kinds without entities
     */
    record StoreNames(String pending, String histories) {}

    private final List<ItemKind<?>> kinds;
    private final StoreNames storeNames;
    private final PipelineMetrics metrics;
    private final Device device;
    private final int batchSize;
    private final Duration linger;
    private final Duration modelRefresh;
    private final Map<String, Loaded> models = new HashMap<>();
    private final RecentEmbeddings recent;
    private ProcessorContext<String, Embedding> context;
    private KeyValueStore<String, RawItem> pending;
    private KeyValueStore<String, byte[]> histories;
    private KeyValueStore<String, ModelSnapshot> snapshots;
    private long pendingCount;
    private long lastRefresh;

    /** @param reembedRecent how many recent embeddings to republish under each new version (0: none) */
    EmbedProcessor(List<ItemKind<?>> kinds, StoreNames storeNames, PipelineMetrics metrics, Device device,
            int batchSize, Duration linger, Duration modelRefresh, int reembedRecent) {
        this.recent = new RecentEmbeddings(reembedRecent);
        this.kinds = List.copyOf(kinds);
        this.storeNames = storeNames;
        this.metrics = metrics;
        this.device = device;
        this.batchSize = batchSize;
        this.linger = linger;
        this.modelRefresh = modelRefresh;
    }

    @Override
    public void init(ProcessorContext<String, Embedding> context) {
        this.context = context;
        this.pending = context.getStateStore(storeNames.pending());
        this.histories = storeNames.histories() == null ? null : context.getStateStore(storeNames.histories());
        this.snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        try (KeyValueIterator<String, RawItem> it = pending.all()) {
            while (it.hasNext()) {
                it.next();
                pendingCount++;
            }
        }
        context.schedule(linger, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, RawItem> record) {
        RawItem item = record.value();
        kindOf(item).ifPresent(k -> k.entityHistory().ifPresent(h -> recordInHistory(k, h, item)));
        pending.put(item.getId(), item);
        pendingCount++;
        if (pendingCount >= batchSize && !models.isEmpty()) {
            flush();
        }
    }

    private <I> void recordInHistory(ItemKind<?> anyKind, EntityHistory<I> history, RawItem item) {
        @SuppressWarnings("unchecked") // the history came from this very kind
        ItemKind<I> kind = (ItemKind<I>) anyKind;
        try {
            I decoded = kind.decode(item);
            String entity = history.entityId(decoded);
            history.update(Optional.ofNullable(histories.get(entity)), decoded)
                    .ifPresentOrElse(bytes -> histories.put(entity, bytes), () -> metrics.lateItem(kind.name()));
        } catch (InvalidItemException e) { // validated upstream: only a changed limit gets here
            LOG.warn("item {} no longer decodes ({}); its entity's history is left as it was", item.getId(),
                    e.getMessage());
        }
    }

    private void flush() {
        refreshModels();
        if (pendingCount == 0 || models.isEmpty()) {
            return;
        }
        // bounded, so one call stays well inside the transaction timeout even with a large backlog
        int budget = batchSize * 8;
        Map<ItemKind<?>, List<RawItem>> byKind = new LinkedHashMap<>();
        try (KeyValueIterator<String, RawItem> it = pending.all()) {
            while (it.hasNext() && budget > 0) {
                KeyValue<String, RawItem> kv = it.next();
                kindOf(kv.value).filter(k -> models.containsKey(k.name()))
                        .ifPresent(k -> byKind.computeIfAbsent(k, n -> new ArrayList<>()).add(kv.value));
                budget--;
            }
        }
        byKind.forEach(this::embedAndPublish);
    }

    private Optional<ItemKind<?>> kindOf(RawItem item) {
        return kinds.stream().filter(k -> k.handles(item.getPayload())).findFirst();
    }

    private <I> void embedAndPublish(ItemKind<I> kind, List<RawItem> items) {
        List<EmbeddingInput> inputs = new ArrayList<>();
        List<Instant> eventTimes = new ArrayList<>();
        Map<String, Instant> entities = new LinkedHashMap<>(); // each published once per flush, newest time
        Optional<EntityHistory<I>> history = kind.entityHistory();
        for (RawItem item : items) {
            try {
                I decoded = kind.decode(item);
                for (EmbeddingInput in : kind.embeddingInputs(item.getId(), decoded)) {
                    inputs.add(in);
                    eventTimes.add(item.getEventTime());
                }
                history.ifPresent(h -> entities.merge(h.entityId(decoded), item.getEventTime(),
                        (a, b) -> a.isAfter(b) ? a : b));
            } catch (InvalidItemException e) { // validated upstream: only a changed limit gets here
                LOG.warn("item {} no longer decodes ({}); dropped from the embed queue", item.getId(), e.getMessage());
                metrics.deadLetter("embed");
            }
        }
        history.ifPresent(h -> entities.forEach((entity, time) -> {
            byte[] stored = histories.get(entity);
            if (stored != null) {
                inputs.add(h.embeddingInput(entity, stored));
                eventTimes.add(time);
            }
        }));
        Loaded model = models.get(kind.name());
        float[][] vectors = model.embedder().embed(inputs.stream().map(EmbeddingInput::input).toList());
        Instant now = Instant.now();
        for (int i = 0; i < vectors.length; i++) {
            publish(kind.name(), inputs.get(i), vectors[i], model.info(), eventTimes.get(i), now);
        }
        for (RawItem item : items) {
            pending.delete(item.getId());
            pendingCount--;
        }
        metrics.embeddingsOut(kind.name(), vectors.length, items.size());
    }

    private void publish(String modelKind, EmbeddingInput in, float[] vector, ModelInfo info, Instant eventTime,
            Instant now) {
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        Embedding e = Embedding.newBuilder()
                .setId(in.key())
                .setKind(in.kind())
                .setVector(values)
                .setDim(vector.length)
                .setModel(info)
                .setEventTime(eventTime)
                .setProducedTime(now)
                .build();
        context.forward(new Record<>(in.key(), e, eventTime.toEpochMilli()));
        recent.published(modelKind, in, vector, eventTime);
    }

    /**
     * Republishes this task's recent embeddings of a kind under its new version, so that a consumer finds
     * them all in one version, and records how far they moved (mean cosine of old and new vector).
     */
    private void reembedRecent(String kind, Loaded model) {
        List<RecentEmbeddings.Entry> entries = recent.of(kind);
        if (entries.isEmpty()) {
            return;
        }
        float[][] vectors = model.embedder().embed(entries.stream().map(e -> e.input().input()).toList());
        metrics.drift(kind, RecentEmbeddings.meanCosine(entries, vectors));
        Instant now = Instant.now();
        for (int i = 0; i < vectors.length; i++) {
            publish(kind, entries.get(i).input(), vectors[i], model.info(), entries.get(i).eventTime(), now);
        }
        metrics.reembedded(kind, vectors.length);
    }

    /** Hot-swaps to a newer snapshot of any kind; checked at most every {@code modelRefresh}. */
    private void refreshModels() {
        long now = System.currentTimeMillis();
        if (now - lastRefresh < modelRefresh.toMillis() && !models.isEmpty()) {
            return;
        }
        lastRefresh = now;
        for (ItemKind<?> kind : kinds) {
            ModelSnapshot s = snapshots.get(kind.name());
            Loaded current = models.get(kind.name());
            if (s == null || (current != null && current.info().getVersion() >= s.getVersion())) {
                continue;
            }
            Embedder embedder = new Embedder(kind.encoderSpec(s.getEncoderConfig()), ModelSnapshots.parameters(s),
                    device);
            ModelInfo info = ModelInfo.newBuilder().setName(s.getName()).setVersion(s.getVersion())
                    .setStep(s.getStep()).build();
            models.put(kind.name(), new Loaded(info, embedder));
            if (current != null) {
                current.embedder().close();
            }
            metrics.modelInUse(kind.name(), s.getVersion());
            if (current != null) { // a swap, not the start: how long the new version took to reach this embedder
                metrics.modelSwapped(kind.name(), now - s.getCreatedTime().toEpochMilli());
                if (recent.enabled()) {
                    reembedRecent(kind.name(), models.get(kind.name()));
                }
            }
            LOG.debug("task {} embeds {} with model {} v{}", context.taskId(), kind.name(), s.getName(), s.getVersion());
        }
    }

    @Override
    public void close() {
        models.values().forEach(m -> m.embedder().close());
        models.clear();
    }
}
