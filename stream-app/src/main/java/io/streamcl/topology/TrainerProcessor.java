package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.IntraOpThreads;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.StepResult;
import io.streamcl.learn.TrainerConfig;
import io.streamcl.learn.TrainingLoop;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** What the trainer needs beyond the kind: settings already validated. */
    record Plan(String modelName, TrainerConfig trainer, Device device, ReplayPlan replay, int maxBacklog,
            int snapshotEvery, Duration linger, Duration checkpointEvery) {}

    private final ItemKind<I> kind;
    private final Plan plan;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, ModelSnapshot> context;
    private KeyValueStore<String, byte[]> checkpoints;
    private TrainingLoop<I> loop;
    private ContrastiveTrainer trainer;
    private long version;
    private TrainingLoop.Snapshot untrained;

    TrainerProcessor(ItemKind<I> kind, Plan plan, PipelineMetrics metrics) {
        this.kind = kind;
        this.plan = plan;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ModelSnapshot> context) {
        IntraOpThreads.setForThisThread(1); // a stream thread; the training loop's own thread has the cores
        this.context = context;
        this.checkpoints = context.getStateStore(LearnerTopology.checkpointStore(kind));
        KeyValueStore<String, ModelSnapshot> snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        ModelSnapshot last = snapshots.get(kind.name());
        version = last == null ? -1 : last.getVersion(); // versions go on from the newest, whatever happens below
        trainer = restoreFromCheckpoint();
        if (trainer == null && last != null && kind.encoderSpec(last.getEncoderConfig()).equals(kind.encoderSpec())) {
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(),
                    ModelSnapshots.parameters(last), last.getStep());
            LOG.info("{} trainer resumes the parameters of {} v{} (step {}; no checkpoint: fresh optimizer and bank)"
                    + " on {}", kind.name(), last.getName(), version, last.getStep(), plan.device());
        }
        if (trainer == null) { // a changed encoder starts over, and versions still go on
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(), null, 0);
            untrained = new TrainingLoop.Snapshot(0, trainer.saveParameters(), Float.NaN, 0, 0, 0, null);
            LOG.info("{} trainer starts fresh on {}: {} ({} parameters), {}", kind.name(), plan.device(),
                    kind.encoderSpec(), trainer.parameterCount(), plan.trainer());
        }
        loop = new TrainingLoop<>("trainer-" + kind.name() + "-" + context.taskId(),
                kind.learner(trainer, plan.replay()), plan.maxBacklog(), plan.snapshotEvery(), plan.linger(),
                plan.checkpointEvery(), this::onStep);
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /** The trainer exactly as it was at its last checkpoint, or null when there is none it can use. */
    private ContrastiveTrainer restoreFromCheckpoint() {
        byte[] stored = checkpoints.get(kind.name());
        if (stored == null) {
            return null;
        }
        try {
            StoredCheckpoint c = StoredCheckpoint.fromBytes(stored);
            if (!kind.encoderSpec(c.encoderConfig()).equals(kind.encoderSpec())) {
                LOG.info("{} trainer: the checkpoint is of another encoder ({}); not resumed", kind.name(),
                        c.encoderConfig());
                return null;
            }
            ContrastiveTrainer t = ContrastiveTrainer.fromCheckpoint(kind.encoderSpec(), plan.trainer(),
                    plan.device(), c.trainer());
            version = Math.max(version, c.version());
            LOG.info("{} trainer resumes from its checkpoint of v{} (step {}: encoders, optimizer and bank) on {}",
                    kind.name(), c.version(), t.steps(), plan.device());
            return t;
        } catch (IllegalArgumentException e) { // e.g. a changed bank size or method
            LOG.warn("{} trainer cannot resume from its checkpoint ({}); falling back to the newest snapshot",
                    kind.name(), e.getMessage());
            return null;
        }
    }

    @Override
    public void process(Record<String, RawItem> record) {
        I input;
        try {
            input = kind.decode(record.value());
        } catch (InvalidItemException e) { // validated upstream: only a changed limit gets here
            LOG.warn("{} item {} no longer decodes ({}); not trained on", kind.name(), record.key(), e.getMessage());
            metrics.deadLetter("train");
            return;
        }
        publishSnapshots(); // version 0 goes out with the first item
        loop.offer(record.value().getId(), input);
        // before the item counts as offered: whoever sees it offered must not see a stale "nothing pending"
        metrics.pendingTraining(kind.name(), loop.pendingUses());
        metrics.itemTrained(kind.name());
    }

    /** On the loop's thread. */
    private void onStep(StepResult r) {
        metrics.trainedStep(kind.name(), r.loss(), r.batchSize());
        metrics.stepPhases(kind.name(), r.phases());
        metrics.trainerStep(kind.name(), r.step());
        if (r.step() % 50 == 0) {
            LOG.debug("{} step {} loss {} top1 {} {} ms", kind.name(), r.step(), r.loss(), r.positiveTop1(), r.millis());
        }
    }

    private void tick(long now) {
        publishSnapshots();
        metrics.pendingTraining(kind.name(), loop.pendingUses());
    }

    private void publishSnapshots() {
        if (untrained != null) {
            publish(untrained);
            untrained = null;
        }
        loop.takeSnapshots().forEach(this::publish);
    }

    private void publish(TrainingLoop.Snapshot snapshot) {
        version++;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (double) snapshot.loss());
        m.put("items_seen", (double) snapshot.itemsSeen());
        m.put("pending_uses", (double) snapshot.pendingUses());
        m.put("uses_dropped", (double) snapshot.usesDropped());
        long owed = snapshot.itemsSeen() * plan.replay().usesPerItem();
        m.put("uses_kept_fraction", owed == 0 ? 1.0 : 1.0 - (double) snapshot.usesDropped() / owed);
        ModelSnapshot s = ModelSnapshots.of(kind.name(), plan.modelName(), version, snapshot.step(),
                kind.encoderSpec().config(), snapshot.parameters(), m);
        context.forward(new Record<>(kind.name(), s, System.currentTimeMillis()));
        if (snapshot.checkpoint() != null) { // in the same transaction as the snapshot
            checkpoints.put(kind.name(), new StoredCheckpoint(version, kind.encoderSpec().config(),
                    snapshot.checkpoint()).toBytes());
        }
        metrics.modelPublished(kind.name(), version, snapshot.step());
        metrics.usesDropped(kind.name(), snapshot.usesDropped());
        LOG.debug("{} published {} v{} at step {}", kind.name(), plan.modelName(), version, snapshot.step());
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
