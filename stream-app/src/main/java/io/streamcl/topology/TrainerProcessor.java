package io.streamcl.topology;

import io.streamcl.learn.ComputeDevice;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.IntraOpThreads;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.ProbeSet;
import io.streamcl.learn.PromotionGate;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.StepResult;
import io.streamcl.learn.TrainerConfig;
import io.streamcl.learn.TrainingLoop;
import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.serde.ChunkedBytes;
import io.streamcl.schema.state.StoredCheckpoint;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single trainer of one kind (its input topic has one partition, so exactly one task in the
 * whole application runs it). It hands items to a {@link TrainingLoop}, which trains on a thread of its
 * own so that this stream thread, and the embedders that share it, never wait for a step; every tick it
 * publishes the snapshots the loop made: version 0 (the untrained encoder) first, then 1, 2, ... Now and
 * then a snapshot carries the trainer's whole state, kept in a changelogged store: a restarted trainer,
 * here or on another instance, goes on from it exactly (else from the newest snapshot's parameters), and
 * versions keep counting up.
 */
final class TrainerProcessor<I> implements Processor<String, RawItem, String, ModelSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
    private static final Duration TICK = Duration.ofMillis(100);
    private static final AvroCodec<StoredCheckpoint> CHECKPOINTS = AvroCodec.of(StoredCheckpoint.class);

    /** What the trainer needs beyond the kind: settings already validated. */
    /** @param intraOpThreads libtorch threads of the training loop's own thread; 0: libtorch's default */
    record Plan(String modelName, TrainerConfig trainer, ComputeDevice device, ReplayPlan replay, int maxBacklog,
            int snapshotEvery, Duration linger, Duration checkpointEvery, PromotionPolicy.Plan promotion,
            int intraOpThreads) {}

    private final ItemKind<I> kind;
    private final Plan plan;
    private final PipelineMetrics metrics;
    private final boolean trainInCaller;
    private ProcessorContext<String, ModelSnapshot> context;
    private KeyValueStore<String, byte[]> checkpoints;
    private TrainingLoop<I> loop;
    private ContrastiveTrainer trainer;
    private long version;
    private TrainingLoop.Snapshot untrained;
    private KeyValueStore<String, ModelSnapshot> snapshots;
    private KeyValueStore<String, EmbeddingStatus> statuses;
    private PromotionGate gate;
    private boolean resumedFromCheckpoint;
    private TrainerPromotions promotions;
    private long servedToLoop = Long.MIN_VALUE;
    private ModelSnapshot lastPublished;
    private long offered;
    private PendingItems pending;

    /**
     * @param trainInCaller train on this stream thread, inside {@code process} and the punctuation, by the
     *     context's clock ({@link TrainingLoop#inCaller}): a test then has no thread to wait for
     */
    TrainerProcessor(ItemKind<I> kind, Plan plan, PipelineMetrics metrics, boolean trainInCaller) {
        this.kind = kind;
        this.plan = plan;
        this.metrics = metrics;
        this.trainInCaller = trainInCaller;
    }

    @Override
    public void init(ProcessorContext<String, ModelSnapshot> context) {
        IntraOpThreads.setForThisThread(1); // a stream thread; the training loop's own thread has the cores
        this.context = context;
        this.checkpoints = context.getStateStore(LearnerTopology.checkpointStore(kind));
        snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        statuses = context.getStateStore(LearnerTopology.STATUS_STORE);
        gate = new PromotionGate(plan.promotion().tolerance());
        ModelSnapshot last = snapshots.get(kind.name());
        version = last == null ? -1 : last.getVersion(); // versions go on from the newest, whatever happens below
        trainer = restoreFromCheckpoint();
        if (trainer == null && last != null) {
            trainer = resumeFromSnapshot(last);
        }
        if (trainer == null) { // a changed encoder starts over, and versions still go on
            trainer = plan.device().trainer(kind.encoderSpec(), plan.trainer(), null, 0);
            untrained = new TrainingLoop.Snapshot(0, trainer.saveParameters(), Float.NaN, 0, 0, 0, null, null, false,
                    0, 0);
            LOG.info("{} trainer starts fresh on {}: {} ({} parameters), {}", kind.name(), plan.device(),
                    kind.encoderSpec(), trainer.parameterCount(), plan.trainer());
        }
        ItemLearner<I> learner = kind.learner(trainer, plan.replay());
        restoreProbe(learner);
        byte[] offeredBytes = checkpoints.get(offeredKey());
        offered = offeredBytes == null ? 0 : java.nio.ByteBuffer.wrap(offeredBytes).getLong();
        String loopName = "trainer-" + kind.name() + "-" + context.taskId();
        loop = trainInCaller
                ? TrainingLoop.inCaller(loopName, learner, plan.maxBacklog(), plan.snapshotEvery(), plan.linger(),
                        plan.checkpointEvery(), this::onStep, offered,
                        () -> TimeUnit.MILLISECONDS.toNanos(context.currentSystemTimeMs()))
                : new TrainingLoop<>(loopName, learner, plan.maxBacklog(), plan.snapshotEvery(), plan.linger(),
                        plan.checkpointEvery(), this::onStep, offered, plan.intraOpThreads());
        pending = new PendingItems(checkpoints, kind.name());
        offerPendingAgain();
        if (last != null && (last.getMetrics().getOrDefault("caught_up", 0.0) != 1.0
                || last.getMetrics().getOrDefault("items_offered", 0.0) < offered)) {
            // it claims training still to come, or knows fewer items than were offered (the uses of those after it
            // were lost with the replay buffer): say, when idle, that all offered items are accounted for
            loop.snapshotWhenIdle();
        }
        promotions = new TrainerPromotions(kind.name(), plan.promotion(), snapshots, statuses, checkpoints);
        promotions.restore(last);
        tellLoopServed();
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /**
     * Offers again the items that the restored state has not finished learning from (all of them when the
     * trainer starts over): their offsets are committed, and the replay buffer that held them is gone.
     */
    private void offerPendingAgain() {
        int again = 0;
        for (PendingItems.Pending p : pending.all()) {
            if (p.seq() >= offered) { // kept, yet not counted as offered: its offset was not committed either
                continue;
            }
            I input = decodeForTraining(p.item());
            if (input != null) {
                loop.offerAgain(p.seq(), p.item().getId(), input);
                again++;
            }
        }
        if (again > 0) {
            metrics.itemsOfferedAgain(kind.name(), again);
            LOG.info("{} trainer is offered again the {} items its restored state had not finished learning from",
                    kind.name(), again);
        }
    }

    /** The item decoded, or null (logged and counted) when it no longer decodes. */
    private I decodeForTraining(RawItem item) {
        try {
            return kind.decode(item);
        } catch (InvalidItemException e) { // validated upstream: only a changed limit gets here
            LOG.warn("{} item {} no longer decodes ({}); not trained on", kind.name(), item.getId(), e.getMessage());
            metrics.deadLetter("train");
            return null;
        }
    }

    /** Where the count of items ever offered lives, updated with every item (so exactly-once keeps it exact). */
    private String offeredKey() {
        return kind.name() + "/offered";
    }

    private String probeKey() {
        return kind.name() + "/probe";
    }

    /** Where the checkpoint's trainer state is stored, in parts (see {@link #storeCheckpoint}). */
    private String trainerKey() {
        return kind.name() + "/trainer";
    }

    /** The probe kept with the checkpoint, when the trainer resumed from that checkpoint. */
    private void restoreProbe(ItemLearner<I> learner) {
        byte[] stored = checkpoints.get(probeKey());
        if (stored == null || !resumedFromCheckpoint) {
            return;
        }
        try {
            ProbeSet probe = ProbeSet.fromBytes(stored);
            if (probe.capacity() == plan.replay().probeItems()) {
                learner.restoreProbe(probe);
                LOG.info("{} trainer measures its snapshots on its saved probe of {} pairs", kind.name(), probe.size());
            }
        } catch (IllegalArgumentException e) {
            LOG.warn("{} trainer cannot read its saved probe ({}); it samples a new one", kind.name(), e.getMessage());
        }
    }

    /** A trainer with the snapshot's parameters, or null when it is of another encoder or cannot be used. */
    private ContrastiveTrainer resumeFromSnapshot(ModelSnapshot last) {
        try {
            if (!kind.encoderSpec(last.getEncoderConfig()).equals(kind.encoderSpec())) {
                return null;
            }
            ContrastiveTrainer t = plan.device().trainer(kind.encoderSpec(), plan.trainer(),
                    ModelSnapshots.parameters(last), last.getStep());
            if (!t.parametersFinite()) {
                t.close();
                throw new IllegalArgumentException("its parameters are not all finite numbers");
            }
            LOG.info("{} trainer resumes the parameters of {} v{} (step {}; no checkpoint: fresh optimizer and bank)"
                    + " on {}", kind.name(), last.getName(), last.getVersion(), last.getStep(), plan.device());
            return t;
        } catch (RuntimeException e) { // garbage on the models topic: start fresh rather than not at all
            metrics.snapshotRejected(kind.name());
            LOG.warn("{} trainer cannot resume from {} v{} on the models topic ({}); it starts fresh", kind.name(),
                    last.getName(), last.getVersion(), e.getMessage());
            return null;
        }
    }

    /** The trainer exactly as it was at its last checkpoint, or null when there is none it can use. */
    private ContrastiveTrainer restoreFromCheckpoint() {
        try {
            InputStream stored = ChunkedValues.open(checkpoints, kind.name());
            if (stored == null) {
                return null;
            }
            StoredCheckpoint c = CHECKPOINTS.decode(stored);
            if (!kind.encoderSpec(c.getEncoderConfig()).equals(kind.encoderSpec())) {
                LOG.info("{} trainer: the checkpoint is of another encoder ({}); not resumed", kind.name(),
                        c.getEncoderConfig());
                return null;
            }
            ChunkedBytes trainer = c.getTrainer().hasRemaining()
                    ? ChunkedBytes.of(List.of(AvroCodec.array(c.getTrainer()))) // stored inline, before 2026-12-07
                    : ChunkedValues.read(checkpoints, trainerKey());
            if (trainer == null) {
                throw new IllegalArgumentException("its trainer state is missing");
            }
            ContrastiveTrainer t = plan.device().trainerFromCheckpoint(kind.encoderSpec(), plan.trainer(), trainer);
            version = Math.max(version, c.getVersion());
            resumedFromCheckpoint = true;
            LOG.info("{} trainer resumes from its checkpoint of v{} (step {}: encoders, optimizer and bank) on {}",
                    kind.name(), c.getVersion(), t.steps(), plan.device());
            return t;
        } catch (IllegalArgumentException e) { // e.g. a changed bank size or method
            LOG.warn("{} trainer cannot resume from its checkpoint ({}); falling back to the newest snapshot",
                    kind.name(), e.getMessage());
            return null;
        }
    }

    @Override
    public void process(Record<String, RawItem> record) {
        I input = decodeForTraining(record.value());
        if (input == null) {
            return;
        }
        publishSnapshots(); // version 0 goes out with the first item, and is served at once
        maybePromote(context.currentSystemTimeMs());
        pending.keep(offered, record.value()); // in the commit of its offset: a restart offers it again
        loop.offer(record.value().getId(), input);
        loop.runDue();
        offered++;
        checkpoints.put(offeredKey(), java.nio.ByteBuffer.allocate(Long.BYTES).putLong(offered).array());
        // before the item counts as offered: whoever sees it offered must not see a stale "nothing pending"
        metrics.pendingTraining(kind.name(), loop.pendingUses());
        metrics.itemTrained(kind.name());
    }

    /** On the loop's thread. */
    private void onStep(StepResult r) {
        if (!r.applied()) {
            metrics.stepDiscarded(kind.name());
            if (r.outcome() == StepResult.Outcome.RESTORED) {
                metrics.trainerRestored(kind.name());
            }
            return;
        }
        metrics.trainedStep(kind.name(), r.loss(), r.batchSize());
        metrics.stepPhases(kind.name(), r.phases());
        metrics.trainerStep(kind.name(), r.step());
        if (r.step() % 50 == 0) {
            LOG.debug("{} step {} loss {} top1 {} {} ms", kind.name(), r.step(), r.loss(), r.positiveTop1(), r.millis());
        }
    }

    private void tick(long now) {
        loop.runDue();
        publishSnapshots();
        maybePromote(now);
        tellLoopServed();
        metrics.pendingTraining(kind.name(), loop.pendingUses());
    }

    private void tellLoopServed() {
        ModelSnapshot s = promotions.served();
        if (s != null && s.getVersion() != servedToLoop) {
            loop.served(s.getVersion(), () -> ModelSnapshots.parameters(s)); // decoded only when measured
            servedToLoop = s.getVersion();
            metrics.modelServed(kind.name(), s.getVersion());
        }
    }

    private void maybePromote(long now) {
        promotions.promotion(now).ifPresent(p -> context.forward(new Record<>(ModelSnapshots.servedKey(kind.name()),
                p, now)));
    }

    private void publishSnapshots() {
        if (untrained != null) {
            publish(untrained);
            untrained = null;
        }
        loop.takeSnapshots().forEach(this::publish);
    }

    /** The gate's verdict, with the figures it was given put in the snapshot's metrics. */
    private PromotionGate.Verdict judge(TrainingLoop.Snapshot snapshot, Map<String, Double> m) {
        TrainingLoop.Health h = snapshot.health();
        if (h == null) { // the untrained encoder, published before the loop measured anything
            return gate.judge(snapshot.step(), snapshot.loss(), true, null, null);
        }
        if (h.figures() != null) {
            m.put("probe_alignment", h.figures().alignment());
            m.put("probe_uniformity", h.figures().uniformity());
            m.put("probe_top1", h.figures().top1());
            m.put("probe_pairs", (double) h.figures().pairs());
            metrics.probeFigures(kind.name(), h.figures().alignment(), h.figures().uniformity(), h.figures().top1());
        }
        if (h.served() != null) {
            m.put("served_version", (double) h.servedVersion());
            m.put("served_probe_alignment", h.served().alignment());
            m.put("served_probe_uniformity", h.served().uniformity());
            m.put("served_probe_top1", h.served().top1());
        }
        return gate.judge(snapshot.step(), snapshot.loss(), h.parametersFinite(), h.probeFull() ? h.figures() : null,
                h.served());
    }

    private void publish(TrainingLoop.Snapshot snapshot) {
        if (lastPublished != null && snapshot.caughtUp() && snapshot.step() == lastPublished.getStep()) {
            confirmCaughtUp(snapshot);
            return;
        }
        if (snapshot.health() != null && !snapshot.health().parametersFinite()) {
            metrics.snapshotRejected(kind.name());
            LOG.warn("{}: the snapshot at step {} has non-finite parameters; not published", kind.name(),
                    snapshot.step());
            return;
        }
        version++;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (double) snapshot.loss());
        m.put("items_seen", (double) snapshot.itemsSeen());
        m.put("pending_uses", (double) snapshot.pendingUses());
        m.put("uses_dropped", (double) snapshot.usesDropped());
        long owed = snapshot.itemsSeen() * plan.replay().usesPerItem();
        m.put("uses_kept_fraction", owed == 0 ? 1.0 : 1.0 - (double) snapshot.usesDropped() / owed);
        m.put("caught_up", snapshot.caughtUp() ? 1.0 : 0.0);
        m.put("items_offered", (double) snapshot.itemsOffered());
        PromotionGate.Verdict verdict = judge(snapshot, m);
        ModelSnapshot s = ModelSnapshots.of(kind.name(), plan.modelName(), version, snapshot.step(),
                kind.encoderSpec().config(), snapshot.parameters(), m);
        s.setGate(verdict.toString()); // set in place: a builder's copy would copy the parameters too
        context.forward(new Record<>(kind.name(), s, System.currentTimeMillis()));
        lastPublished = s;
        storeCheckpoint(snapshot); // in the same transaction as the snapshot
        TrainingLoop.Health h = snapshot.health();
        if (h != null && h.newlyFullProbe() != null) {
            checkpoints.put(probeKey(), h.newlyFullProbe());
        }
        promotions.published(s, snapshot.caughtUp());
        if (!verdict.passed()) {
            metrics.promotionRefused(kind.name());
            LOG.info("{}: v{} not promoted, the gate {}", kind.name(), version, verdict);
        }
        metrics.modelPublished(kind.name(), version, snapshot.step());
        metrics.usesDropped(kind.name(), snapshot.usesDropped());
        LOG.debug("{} published {} v{} at step {}", kind.name(), plan.modelName(), version, snapshot.step());
    }

    /** Keeps the snapshot's checkpoint, when it carries one, as the trainer's state at the current version. */
    private void storeCheckpoint(TrainingLoop.Snapshot snapshot) {
        if (snapshot.checkpoint() != null) {
            // the trainer's state in parts of its own beside the record: 100 MB or more never held in one array
            ChunkedValues.put(checkpoints, trainerKey(), snapshot.checkpoint());
            StoredCheckpoint c = new StoredCheckpoint(version, kind.encoderSpec().config(), ByteBuffer.allocate(0));
            ChunkedValues.put(checkpoints, kind.name(), CHECKPOINTS.encode(c)); // a few bytes now
            pending.forgetBefore(snapshot.firstPending());
        }
    }

    /**
     * The trainer caught up without a step since its last snapshot (the last use left over was dropped), or,
     * idle since, made the checkpoint it owed: the same version, republished as all there is to learn when it
     * had not said so yet, rather than a new version with the same parameters (which would make every embedder
     * re-embed its catalogue for nothing).
     */
    private void confirmCaughtUp(TrainingLoop.Snapshot snapshot) {
        storeCheckpoint(snapshot);
        Map<String, Double> was = lastPublished.getMetrics();
        if (was.getOrDefault("caught_up", 0.0) == 1.0
                && was.getOrDefault("items_offered", 0.0) == snapshot.itemsOffered()) {
            return; // already said
        }
        Map<String, Double> m = new LinkedHashMap<>(was);
        m.put("pending_uses", 0.0);
        m.put("caught_up", 1.0);
        m.put("items_offered", (double) snapshot.itemsOffered());
        lastPublished = RecordCopies.sharingValues(lastPublished);
        lastPublished.setMetrics(m);
        context.forward(new Record<>(kind.name(), lastPublished, System.currentTimeMillis()));
        promotions.confirmedIdle(lastPublished);
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close(); // closes the learner and its trainer
        } else if (trainer != null) {
            trainer.close();
        }
    }
}
