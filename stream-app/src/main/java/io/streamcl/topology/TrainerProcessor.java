package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.ContrastiveTrainer;
import io.streamcl.learn.ItemLearner;
import io.streamcl.learn.ReplayPlan;
import io.streamcl.learn.StepResult;
import io.streamcl.learn.TrainerConfig;
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
 * whole application runs it). It feeds items to its kind's {@link ItemLearner}, steps whenever the replay
 * buffer is full, keeps training on what it holds when the stream goes quiet, and publishes a
 * ModelSnapshot every N steps: version 0 (the untrained encoder) first, then 1, 2, ... A restarted
 * trainer continues from the newest snapshot in the models store and keeps counting versions up.
 */
final class TrainerProcessor<I> implements Processor<String, RawItem, String, ModelSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
    private static final Duration TICK = Duration.ofMillis(100);
    /**
     * Longest the trainer trains between two ticks. Kafka Streams hands a task records in batches
     * and commits (ends the transaction, under exactly-once) only between batches; the tick runs
     * between batches too. Bounding training per tick keeps every transaction short however many
     * records a batch holds. Records beyond the budget wait in the replay buffer, and when it is full
     * the item learned from the most makes room (counted as dropped uses).
     */
    private static final long STEP_BUDGET_MS = 1000;

    /** What the trainer needs beyond the kind: settings already validated. */
    record Plan(String modelName, TrainerConfig trainer, Device device, ReplayPlan replay, int snapshotEvery,
            Duration linger) {}

    private final ItemKind<I> kind;
    private final Plan plan;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, ModelSnapshot> context;
    private ItemLearner<I> learner;
    private long version;
    private long stepsAtLastSnapshot = -1;
    private boolean snapshotDue;
    private long lastItemAt;
    private float lastLoss = Float.NaN;
    private long trainedMsSinceTick;

    TrainerProcessor(ItemKind<I> kind, Plan plan, PipelineMetrics metrics) {
        this.kind = kind;
        this.plan = plan;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, ModelSnapshot> context) {
        this.context = context;
        KeyValueStore<String, ModelSnapshot> snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        ModelSnapshot last = snapshots.get(kind.name());
        ContrastiveTrainer trainer;
        if (last != null && kind.encoderSpec(last.getEncoderConfig()).equals(kind.encoderSpec())) {
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(),
                    ModelSnapshots.parameters(last), last.getStep());
            version = last.getVersion();
            stepsAtLastSnapshot = last.getStep();
            LOG.info("{} trainer resumes from {} v{} (step {}) on {}", kind.name(), last.getName(), version,
                    last.getStep(), plan.device());
        } else {
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(), null, 0);
            version = last == null ? -1 : last.getVersion(); // a changed encoder starts over, versions go on
            snapshotDue = true; // the untrained encoder, so embedding starts at once
            LOG.info("{} trainer starts fresh on {}: {} ({} parameters), {}", kind.name(), plan.device(),
                    kind.encoderSpec(), trainer.parameterCount(), plan.trainer());
        }
        learner = kind.learner(trainer, plan.replay());
        lastItemAt = System.currentTimeMillis();
        context.schedule(TICK, PunctuationType.WALL_CLOCK_TIME, this::tick);
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
        publishIfDue(); // version 0 before the first step
        lastItemAt = System.currentTimeMillis();
        while (learner.isFull() && trainedMsSinceTick < STEP_BUDGET_MS) {
            afterStep(learner.stepIfFull());
        }
        learner.offer(record.value().getId(), input); // samples (drops uses) if still full
        metrics.itemTrained(kind.name());
        metrics.usesDropped(kind.name(), learner.usesDropped());
    }

    private void tick(long now) {
        trainedMsSinceTick = 0;
        if (now - lastItemAt >= plan.linger().toMillis()) {
            while (trainedMsSinceTick < STEP_BUDGET_MS) {
                StepResult r = learner.drainStep();
                if (r == null) {
                    // caught up: make sure the last steps are published
                    snapshotDue |= learner.trainer().steps() > stepsAtLastSnapshot;
                    break;
                }
                afterStep(r);
            }
        }
        metrics.pendingTraining(kind.name(), learner.pendingUses());
        publishIfDue();
    }

    private void afterStep(StepResult r) {
        lastLoss = r.loss();
        metrics.trainedStep(kind.name(), r.loss(), r.batchSize());
        trainedMsSinceTick += Math.max(1, Math.round(r.millis()));
        metrics.trainerStep(kind.name(), r.step());
        if (r.step() % plan.snapshotEvery() == 0) {
            snapshotDue = true;
            publishIfDue();
        }
        if (r.step() % 50 == 0) {
            LOG.debug("{} step {} loss {} top1 {} {} ms", kind.name(), r.step(), r.loss(), r.positiveTop1(), r.millis());
        }
    }

    private void publishIfDue() {
        if (!snapshotDue) {
            return;
        }
        snapshotDue = false;
        long steps = learner.trainer().steps();
        version++;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", (double) lastLoss);
        m.put("items_seen", (double) learner.itemsSeen());
        m.put("pending_uses", (double) learner.pendingUses());
        m.put("uses_dropped", (double) learner.usesDropped());
        ModelSnapshot s = ModelSnapshots.of(kind.name(), plan.modelName(), version, steps,
                kind.encoderSpec().config(), learner.trainer().saveParameters(), m);
        context.forward(new Record<>(kind.name(), s, System.currentTimeMillis()));
        stepsAtLastSnapshot = steps;
        metrics.modelPublished(kind.name(), version, steps);
        LOG.debug("{} published {} v{} at step {}", kind.name(), plan.modelName(), version, steps);
    }

    @Override
    public void close() {
        if (learner != null) {
            learner.close();
        }
    }
}
