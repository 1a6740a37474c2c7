package io.streamcl.topology;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.kind.EmbeddingInput;
import io.streamcl.kind.EntityHistory;
import io.streamcl.kind.ItemKind;
import io.streamcl.ingest.RawItems;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.BackfillProgress;
import io.streamcl.schema.CatalogueEntry;
import io.streamcl.schema.Embedding;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelInfo;
import io.streamcl.schema.ModelSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
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
 * The embed path, one per input partition. An arriving item is decoded once into its encoder input, kept
 * in the task's {@link Catalogue} and queued; queued items are embedded in batches with the served version
 * of their kind (see {@link ServedModels}) and published, stamped with it. Items of a kind with nothing
 * served yet simply wait.
 *
 * <p>When another version becomes the served one, the task re-embeds its whole catalogue under it in the
 * background (a backfill), a little on every punctuation and only once the queue is empty, so an arriving
 * item never waits behind it. Its progress is kept in a changelogged store and resumes after a restart.
 * When every entry of a kind is on the served version, the task publishes a completion marker ({@link
 * EmbeddingStatus}) for its partition.
 *
 * <p>For a kind with an {@link EntityHistory} (events), records arrive keyed by entity (user), each
 * entity's history lives in a changelogged store of this task, and the entity is catalogued and published
 * like an item, from its history at that moment.
 */
final class EmbedProcessor implements Processor<String, DecodedItem<?>, String, Object> {
    private static final Logger LOG = LoggerFactory.getLogger(EmbedProcessor.class);
    private static final Schema VECTOR_SCHEMA = Embedding.SCHEMA$.getField("vector").schema();
    /** The most a punctuation spends on a backfill, beyond its first batch (which is one forward pass). */
    private static final long BACKFILL_SLICE_NANOS = Duration.ofMillis(10).toNanos();
    /**
     * The share of its time a stream thread may spend backfilling, whichever of its tasks does it: after a
     * slice, every task of the thread rests four times as long. A forward pass is 64 rows however few are
     * real, and a stream thread shares its cores with the trainer, so one slice can take a hundred
     * milliseconds or more; slices back to back kept the stream threads busy and fresh items waited seconds
     * behind them (measured by bench's backfill section).
     */
    private static final double BACKFILL_DUTY = 0.2;
    /** Whose turn it is to backfill on this stream thread, and when (its tasks share it: the duty is the thread's). */
    private static final ThreadLocal<BackfillTurns> TURNS = ThreadLocal.withInitial(() -> new BackfillTurns(
            BACKFILL_DUTY));
    private static final long PROGRESS_LOG_NANOS = Duration.ofSeconds(5).toNanos();

    /** A loaded served version: the frozen encoder and what to stamp on its embeddings. */
    private record Loaded(ModelInfo info, Embedder embedder) {}

    /**
     * The stores this processor uses; all changelogged.
     *
     * @param histories the entity history store; null for kinds without entities
     */
    record StoreNames(String catalogue, String versions, String order, String queue, String backfill,
            String histories) {
        static StoreNames withSuffix(String suffix, boolean histories) {
            return new StoreNames(LearnerTopology.CATALOGUE_STORE + suffix,
                    LearnerTopology.CATALOGUE_VERSIONS_STORE + suffix, LearnerTopology.CATALOGUE_ORDER_STORE + suffix,
                    LearnerTopology.QUEUE_STORE + suffix, LearnerTopology.BACKFILL_STORE + suffix,
                    histories ? LearnerTopology.HISTORIES_STORE + suffix : null);
        }
    }

    /**
     * How the processor works, from the settings.
     *
     * @param maxAgeMillis catalogue entries not sent again for this long are evicted; 0: never
     * @param backfillPerSecond the most catalogue entries re-embedded per second; 0: as fast as it can
     * @param partitions how many partitions this processor's input has, for the completion markers
     */
    record Plan(int batchSize, Duration linger, Duration modelRefresh, long maxItems, long maxAgeMillis,
            double backfillPerSecond, int partitions) {}

    private final List<ItemKind<?>> kinds;
    private final StoreNames storeNames;
    private final PipelineMetrics metrics;
    private final ComputeDevice device;
    private final Plan plan;
    private final Map<String, Loaded> models = new HashMap<>();
    /** The served version of each kind that could not be loaded, so that it is tried (and said) once. */
    private final Map<String, Long> rejected = new HashMap<>();
    private final Map<String, BackfillProgress> progress = new HashMap<>();
    private final Map<String, String> taskKeys = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private Catalogue catalogue;
    private KeyValueStore<String, byte[]> queue;
    private KeyValueStore<String, BackfillProgress> backfills;
    private KeyValueStore<String, byte[]> histories;
    private KeyValueStore<String, ModelSnapshot> snapshots;
    private long queued;
    /** Items arrived since the queue was last empty, per kind: they count as embedded once it empties. */
    private final Map<String, Integer> arrivedUnembedded = new HashMap<>();
    private long lastRefresh;
    private long lastBackfillNanos = System.nanoTime();
    private double backfillAllowance;
    private long lastProgressLog = System.nanoTime();

    EmbedProcessor(List<ItemKind<?>> kinds, StoreNames storeNames, PipelineMetrics metrics, ComputeDevice device, Plan plan) {
        this.kinds = List.copyOf(kinds);
        this.storeNames = storeNames;
        this.metrics = metrics;
        this.device = device;
        this.plan = plan;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.catalogue = new Catalogue(context.getStateStore(storeNames.catalogue()),
                context.getStateStore(storeNames.versions()), context.getStateStore(storeNames.order()),
                plan.maxItems(), plan.maxAgeMillis(),
                () -> metrics.catalogueEvicted(1));
        this.queue = context.getStateStore(storeNames.queue());
        this.backfills = context.getStateStore(storeNames.backfill());
        this.histories = storeNames.histories() == null ? null : context.getStateStore(storeNames.histories());
        this.snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        try (KeyValueIterator<String, byte[]> it = queue.all()) {
            while (it.hasNext()) {
                it.next();
                queued++;
            }
        }
        for (ItemKind<?> kind : kinds) {
            BackfillProgress p = backfills.get(kind.name());
            if (p != null) {
                progress.put(kind.name(), p);
            }
            metrics.catalogueSize(taskKey(kind), catalogue.count(kind.name()));
        }
        context.schedule(plan.linger(), PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
    }

    @Override
    public void process(Record<String, DecodedItem<?>> record) {
        if (kinds.contains(record.value().kind())) { // the topology sends each path its own kinds only
            catalogueItem(record.value());
        }
        if (queued >= plan.batchSize() && !models.isEmpty()) {
            embedQueued();
        }
    }

    private <I> void catalogueItem(DecodedItem<I> decoded) {
        ItemKind<I> kind = decoded.kind();
        Instant eventTime = decoded.raw().getEventTime();
        Instant now = Instant.now();
        String label = decoded.raw().getAttributes().get(RawItems.LABEL_ATTRIBUTE);
        for (EmbeddingInput in : decoded.embeddingInputs()) {
            arrived(kind, in, eventTime, now);
            metrics.recentEmbeddings().arrived(in.kind(), in.key(), label);
        }
        kind.entityHistory().ifPresent(h -> entityArrived(kind, h, decoded.item(), eventTime, now));
        if (kind.entityHistory().isPresent()) {
            arrivedUnembedded.merge(kind.name(), 1, Integer::sum);
        }
        metrics.catalogueSize(taskKey(kind), catalogue.count(kind.name()));
    }

    private void arrived(ItemKind<?> kind, EmbeddingInput in, Instant eventTime, Instant now) {
        String key = Catalogue.key(kind.name(), in.key());
        catalogue.arrived(key, in.kind(), in.input(), eventTime, now);
        if (queue.get(key) == null) {
            queue.put(key, new byte[0]);
            queued++;
        }
    }

    /** Updates the entity's history with the item, and catalogues the entity as it now is. */
    private <I> void entityArrived(ItemKind<I> kind, EntityHistory<I> history, I item, Instant eventTime,
            Instant now) {
        String entity = history.entityId(item);
        byte[] stored = history.update(Optional.ofNullable(histories.get(entity)), item).orElse(null);
        if (stored != null) {
            histories.put(entity, stored);
        } else {
            metrics.lateItem(kind.name());
            stored = histories.get(entity);
        }
        if (stored != null) {
            arrived(kind, history.embeddingInput(entity, stored), eventTime, now);
        }
    }

    private void punctuate() {
        embedQueued(); // refreshes the served models first
        if (queued == 0) {
            backfill();
        }
        catalogue.evictExpired(Instant.now());
    }

    /** Embeds queued items with their kind's served version; bounded, to stay well inside a transaction. */
    private void embedQueued() {
        refreshModels();
        if (queued == 0 || models.isEmpty()) {
            return;
        }
        int budget = plan.batchSize() * 8;
        Map<String, List<KeyValue<String, CatalogueEntry>>> byKind = new LinkedHashMap<>();
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = queue.all()) {
            while (it.hasNext() && budget > 0) {
                String key = it.next().key;
                String kind = Catalogue.modelKind(key);
                if (!models.containsKey(kind)) {
                    continue; // waits for its kind's first served version
                }
                CatalogueEntry entry = catalogue.get(key);
                if (entry != null) { // null: evicted while it waited
                    byKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(KeyValue.pair(key, entry));
                }
                done.add(key);
                budget--;
            }
        }
        byKind.forEach((kindName, entries) -> {
            ItemKind<?> kind = kinds.stream().filter(k -> k.name().equals(kindName)).findFirst().orElseThrow();
            int fresh = entries.size();
            Slice backfill = topUp(kind, fresh);
            List<KeyValue<String, CatalogueEntry>> all = new ArrayList<>(entries);
            all.addAll(backfill.entries());
            embedAndPublish(kindName, all);
            // an item of a standalone kind is one entry; an event's vectors (its item, its user) are counted below
            metrics.embeddingsOut(kindName, fresh, kind.entityHistory().isPresent() ? 0 : fresh);
            if (!backfill.entries().isEmpty() || backfill.last()) {
                BackfillProgress p = progress.get(kindName);
                backfilled(kind, models.get(kindName), p, backfill);
                backfills.put(kindName, p);
                metrics.backfill(taskKey(kind), p.getVersion(), p.getDone(), catalogue.count(kindName));
            }
        });
        for (String key : done) {
            queue.delete(key);
            queued--;
        }
        if (queued == 0) { // every queued vector is out, so every item that arrived is embedded
            arrivedUnembedded.forEach((kind, n) -> metrics.embeddingsOut(kind, 0, n));
            arrivedUnembedded.clear();
        }
    }

    private void embedAndPublish(String kind, List<KeyValue<String, CatalogueEntry>> entries) {
        Loaded model = models.get(kind);
        float[][] vectors = model.embedder().embed(entries.stream().map(kv -> Catalogue.input(kv.value)).toList());
        Instant now = Instant.now();
        for (int i = 0; i < vectors.length; i++) {
            KeyValue<String, CatalogueEntry> kv = entries.get(i);
            if (finite(vectors[i])) {
                publish(Catalogue.id(kv.key), kv.value, vectors[i], model.info(), now);
            } else {
                deadLetter(kv.key, kind + " v" + model.info().getVersion() + " made a non-finite embedding of it");
            }
            catalogue.published(kv.key, model.info().getVersion());
        }
    }

    private static boolean finite(float[] vector) {
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** An entry that cannot be published; the item as it came is gone by now, so the letter names its id. */
    private void deadLetter(String catalogueKey, String reason) {
        String id = Catalogue.id(catalogueKey);
        LOG.warn("dead letter {}: {}", id, reason);
        metrics.deadLetter("embed");
        context.forward(new Record<>(id, DeadLetters.of(id.getBytes(java.nio.charset.StandardCharsets.UTF_8), null,
                null, context.taskId().partition(), -1, "embed", reason), context.currentSystemTimeMs()),
                LearnerTopology.DEAD_LETTER_SINK);
    }

    private void publish(String id, CatalogueEntry entry, float[] vector, ModelInfo info, Instant now) {
        // unboxed storage: Avro's writer reads it back one float at a time
        PrimitivesArrays.FloatArray values = new PrimitivesArrays.FloatArray(vector.length, VECTOR_SCHEMA);
        for (int i = 0; i < vector.length; i++) {
            values.add(i, vector[i]);
        }
        Embedding e = Embedding.newBuilder()
                .setId(id)
                .setKind(entry.getKind())
                .setVector(values)
                .setDim(vector.length)
                .setModel(info)
                .setEventTime(entry.getEventTime())
                .setProducedTime(now)
                .build();
        // stamped with the time it was made: an event time years old (or ahead) would be deleted (or refused)
        context.forward(new Record<>(id, e, now.toEpochMilli()), LearnerTopology.EMBEDDINGS_SINK);
        metrics.recentEmbeddings().published(entry.getKind(), id, info.getVersion(), vector);
    }

    /**
     * Re-embeds the next slice of each kind's catalogue that is not on its served version yet; when a kind's
     * catalogue is done, publishes its completion marker.
     */
    private void backfill() {
        BackfillTurns turns = TURNS.get();
        if (!hasBackfill()) {
            turns.done(this); // takes no turn, and starts no rest
            return;
        }
        long start = System.nanoTime();
        if (!turns.mayGo(this, start)) {
            return; // resting, or another task's turn: see BackfillTurns
        }
        if (plan.backfillPerSecond() > 0) { // at most a second's worth saved up
            backfillAllowance = Math.min(plan.backfillPerSecond(),
                    backfillAllowance + plan.backfillPerSecond() * (start - lastBackfillNanos) / 1e9);
        }
        lastBackfillNanos = start;
        boolean logNow = start - lastProgressLog >= PROGRESS_LOG_NANOS;
        for (ItemKind<?> kind : kinds) {
            if (!backfilling(kind)) {
                continue;
            }
            BackfillProgress p = progress.get(kind.name());
            backfillSlice(kind, models.get(kind.name()), p, start);
            backfills.put(kind.name(), p);
            metrics.backfill(taskKey(kind), p.getVersion(), p.getDone(), catalogue.count(kind.name()));
            if (!p.getComplete() && logNow) {
                LOG.info("{} backfill to v{}: {} of {} (partition {})", kind.name(), p.getVersion(),
                        String.format("%,d", p.getDone()), String.format("%,d", catalogue.count(kind.name())),
                        context.taskId().partition());
            }
        }
        if (logNow) {
            lastProgressLog = start;
        }
        turns.went(this, start, System.nanoTime());
    }

    /** Whether a kind's catalogue is not all on its served version yet. */
    private boolean hasBackfill() {
        return kinds.stream().anyMatch(this::backfilling);
    }

    /** Whether the kind has a served version and its catalogue is not all on it yet. */
    private boolean backfilling(ItemKind<?> kind) {
        BackfillProgress p = progress.get(kind.name());
        return models.containsKey(kind.name()) && p != null && !p.getComplete();
    }

    private void backfillSlice(ItemKind<?> kind, Loaded model, BackfillProgress p, long start) {
        boolean limited = plan.backfillPerSecond() > 0;
        while (System.nanoTime() - start < BACKFILL_SLICE_NANOS && (!limited || backfillAllowance >= 1)) {
            Slice slice = takeBackfill(kind, model, p, plan.batchSize());
            if (!slice.entries().isEmpty()) {
                embedAndPublish(kind.name(), slice.entries());
            }
            if (backfilled(kind, model, p, slice)) {
                return;
            }
        }
    }

    /** Catalogue entries for a backfill, and whether they were the last of the catalogue. */
    private record Slice(List<KeyValue<String, CatalogueEntry>> entries, boolean last) {}

    /**
     * Up to {@code room} (and the rate limit's allowance) catalogue entries not on the served version yet,
     * from the kind's cursor on; advances the cursor past them.
     */
    private Slice takeBackfill(ItemKind<?> kind, Loaded model, BackfillProgress p, int room) {
        if (plan.backfillPerSecond() > 0) {
            room = (int) Math.min(room, backfillAllowance);
        }
        long version = model.info().getVersion();
        List<KeyValue<String, CatalogueEntry>> slice = new ArrayList<>();
        String cursor = p.getCursor();
        long passed = 0;
        boolean last;
        try (KeyValueIterator<String, Long> it = catalogue.versionsAfter(kind.name(), p.getCursor())) {
            while (slice.size() < room && passed < 16L * plan.batchSize() && it.hasNext()) {
                KeyValue<String, Long> kv = it.next();
                cursor = kv.key;
                passed++;
                // WAITING: queued, it goes out fresh under the served version anyway
                if (kv.value != version && kv.value != Catalogue.WAITING) {
                    slice.add(KeyValue.pair(kv.key, catalogue.get(kv.key)));
                }
            }
            last = !it.hasNext();
        }
        p.setCursor(cursor);
        p.setDone(p.getDone() + passed);
        return new Slice(slice, last);
    }

    /**
     * Counts a slice that was published, and completes the backfill after the catalogue's last entry.
     *
     * @return whether the backfill is complete
     */
    private boolean backfilled(ItemKind<?> kind, Loaded model, BackfillProgress p, Slice slice) {
        metrics.backfilled(kind.name(), slice.entries().size());
        backfillAllowance -= slice.entries().size();
        if (slice.last()) {
            p.setComplete(true);
            publishComplete(kind, model);
            LOG.info("{} backfill to v{} complete on partition {}: {} items", kind.name(), p.getVersion(),
                    context.taskId().partition(), catalogue.count(kind.name()));
        }
        return slice.last();
    }

    /**
     * Fills the rows that the last forward pass of {@code fresh} items would pad with zeros (see {@link
     * Embedder#CHUNK}) with entries of the kind's backfill: they cost nothing, and a trickle of fresh items
     * then carries the backfill along.
     */
    private Slice topUp(ItemKind<?> kind, int fresh) {
        Loaded model = models.get(kind.name());
        BackfillProgress p = progress.get(kind.name());
        int room = (Embedder.CHUNK - fresh % Embedder.CHUNK) % Embedder.CHUNK;
        if (model == null || p == null || p.getComplete() || p.getVersion() != model.info().getVersion()
                || room == 0) {
            return new Slice(List.of(), false);
        }
        return takeBackfill(kind, model, p, room);
    }

    private void publishComplete(ItemKind<?> kind, Loaded model) {
        int partition = context.taskId().partition();
        EmbeddingStatus s = EmbeddingStatus.newBuilder()
                .setKind(kind.name())
                .setEmbeddingKinds(kind.embeddingKinds())
                .setModelName(model.info().getName())
                .setVersion(model.info().getVersion())
                .setPartition(partition)
                .setPartitions(plan.partitions())
                .setItems(catalogue.count(kind.name()))
                .setTime(Instant.now())
                .build();
        context.forward(new Record<>(EmbeddingStatuses.key(kind.name(), partition), s, context.currentSystemTimeMs()),
                LearnerTopology.STATUS_SINK);
    }

    /** Loads a kind's served version when it changed (promoted, pinned or unpinned), and starts its backfill. */
    private void refreshModels() {
        long now = context.currentSystemTimeMs(); // a test driver's clock, when one drives the topology
        if (now - lastRefresh < plan.modelRefresh().toMillis() && !models.isEmpty()) {
            return;
        }
        lastRefresh = now;
        for (ItemKind<?> kind : kinds) {
            ModelSnapshot s = ServedModels.served(snapshots, kind.name()).orElse(null);
            Loaded current = models.get(kind.name());
            if (s == null || (current != null && current.info().getVersion() == s.getVersion())) {
                continue;
            }
            if (rejected.get(kind.name()) != null && rejected.get(kind.name()) == s.getVersion()) {
                continue; // said already
            }
            Embedder embedder;
            try {
                embedder = device.embedder(kind.encoderSpec(s.getEncoderConfig()), ModelSnapshots.parameters(s));
            } catch (RuntimeException e) { // garbage on the models topic must not stop the feed
                rejected.put(kind.name(), s.getVersion());
                metrics.snapshotRejected(kind.name());
                LOG.warn("{} {} v{} on the models topic cannot be used ({}); {}", kind.name(), s.getName(),
                        s.getVersion(), e.getMessage(), current == null ? "nothing is embedded until a usable one"
                                + " comes" : "still embedding with v" + current.info().getVersion());
                continue;
            }
            ModelInfo info = ModelInfo.newBuilder().setName(s.getName()).setVersion(s.getVersion())
                    .setStep(s.getStep()).build();
            models.put(kind.name(), new Loaded(info, embedder));
            if (current != null) {
                current.embedder().close();
                metrics.modelSwapped(kind.name(), now - servedSince(s));
            }
            metrics.modelInUse(kind.name(), s.getVersion());
            BackfillProgress p = progress.get(kind.name());
            if (p == null || p.getVersion() != s.getVersion()) { // else a backfill that a restart interrupted
                p = BackfillProgress.newBuilder().setVersion(s.getVersion()).setCursor(null).setDone(0)
                        .setComplete(false).build();
                progress.put(kind.name(), p);
                backfills.put(kind.name(), p);
            }
            LOG.debug("task {} embeds {} with model {} v{}", context.taskId(), kind.name(), s.getName(), s.getVersion());
        }
    }

    /** When the version became the served one (the snapshot's own time on records older than promotions). */
    private static long servedSince(ModelSnapshot s) {
        return s.getPromotion() != null ? s.getPromotion().getTime().toEpochMilli() : s.getCreatedTime().toEpochMilli();
    }

    /** {@code <kind>/<task id>}, made once per kind: it tags this task's gauges on every item. */
    private String taskKey(ItemKind<?> kind) {
        return taskKeys.computeIfAbsent(kind.name(), k -> k + "/" + context.taskId());
    }

    @Override
    public void close() {
        TURNS.get().done(this);
        models.values().forEach(m -> m.embedder().close());
        models.clear();
    }
}
