package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelInfo;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The embed path, one per raw-items partition: items wait in a changelogged store (so none is lost
 * in a crash) until a batch is full or the linger passes, then are embedded with the newest
 * snapshot of their kind found in the global models store and published, stamped with its version.
 * Items of a kind with no snapshot yet simply wait.
 */
final class EmbedProcessor implements Processor<String, RawItem, String, Embedding> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedProcessor.class);

    /** A loaded snapshot: the frozen encoder and what to stamp on its embeddings. */
    private record Loaded(ModelInfo info, Embedder embedder) {}

    private final ItemKinds kinds;
    private final PipelineMetrics metrics;
    private final Device device;
    private final int batchSize;
    private final Duration linger;
    private final Duration modelRefresh;
    private final Map<String, Loaded> models = new HashMap<>();
    private ProcessorContext<String, Embedding> context;
    private KeyValueStore<String, RawItem> pending;
    private KeyValueStore<String, ModelSnapshot> snapshots;
    private long pendingCount;
    private long lastRefresh;

    EmbedProcessor(ItemKinds kinds, PipelineMetrics metrics, Device device, int batchSize, Duration linger,
            Duration modelRefresh) {
        this.kinds = kinds;
        this.metrics = metrics;
        this.device = device;
        this.batchSize = batchSize;
        this.linger = linger;
        this.modelRefresh = modelRefresh;
    }

    @Override
    public void init(ProcessorContext<String, Embedding> context) {
        this.context = context;
        this.pending = context.getStateStore(LearnerTopology.PENDING_STORE);
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
        pending.put(record.key(), record.value());
        pendingCount++;
        if (pendingCount >= batchSize && !models.isEmpty()) {
            flush();
        }
    }

    private void flush() {
        refreshModels();
        if (pendingCount == 0 || models.isEmpty()) {
            return;
        }
        // bounded, so one call stays well inside the transaction timeout even with a large backlog
        int budget = batchSize * 8;
        Map<String, List<RawItem>> byKind = new HashMap<>();
        try (KeyValueIterator<String, RawItem> it = pending.all()) {
            while (it.hasNext() && budget > 0) {
                KeyValue<String, RawItem> kv = it.next();
                kinds.forPayload(kv.value.getPayload())
                        .filter(k -> models.containsKey(k.name()))
                        .ifPresent(k -> byKind.computeIfAbsent(k.name(), n -> new ArrayList<>()).add(kv.value));
                budget--;
            }
        }
        byKind.forEach((kind, items) -> embedAndPublish(kinds.byName(kind).orElseThrow(), items));
    }

    private <I> void embedAndPublish(ItemKind<I> kind, List<RawItem> items) {
        Loaded model = models.get(kind.name());
        List<float[]> inputs = new ArrayList<>(items.size());
        List<RawItem> embeddable = new ArrayList<>(items.size());
        for (RawItem item : items) {
            try {
                inputs.add(kind.embeddingInput(kind.decode(item.getPayload())));
                embeddable.add(item);
            } catch (InvalidItemException e) { // validated upstream: only a changed limit gets here
                LOG.warn("item {} no longer decodes ({}); dropped from the embed queue", item.getId(), e.getMessage());
                metrics.deadLetter("embed");
                pending.delete(item.getId());
                pendingCount--;
            }
        }
        float[][] vectors = model.embedder().embed(inputs);
        long now = System.currentTimeMillis();
        for (int i = 0; i < vectors.length; i++) {
            RawItem item = embeddable.get(i);
            List<Float> vector = new ArrayList<>(vectors[i].length);
            for (float v : vectors[i]) {
                vector.add(v);
            }
            Embedding e = Embedding.newBuilder()
                    .setId(item.getId())
                    .setKind(kind.name())
                    .setVector(vector)
                    .setDim(vectors[i].length)
                    .setModel(model.info())
                    .setEventTime(item.getEventTime())
                    .setProducedTime(java.time.Instant.ofEpochMilli(now))
                    .build();
            context.forward(new Record<>(item.getId(), e, item.getEventTime().toEpochMilli()));
            pending.delete(item.getId());
            pendingCount--;
        }
        metrics.embeddingsOut(kind.name(), vectors.length);
    }

    /** Hot-swaps to a newer snapshot of any kind; checked at most every {@code modelRefresh}. */
    private void refreshModels() {
        long now = System.currentTimeMillis();
        if (now - lastRefresh < modelRefresh.toMillis() && !models.isEmpty()) {
            return;
        }
        lastRefresh = now;
        for (ItemKind<?> kind : kinds.all()) {
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
            LOG.debug("task {} embeds {} with model {} v{}", context.taskId(), kind.name(), s.getName(), s.getVersion());
        }
    }

    @Override
    public void close() {
        models.values().forEach(m -> m.embedder().close());
        models.clear();
    }
}
