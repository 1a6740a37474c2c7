package io.streamcl.topology;

import ai.djl.Device;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.kind.ItemKind;
import io.streamcl.learn.ContrastiveTrainer;
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
 * publishes the snapshots the loop made: version 0 (the untrained encoder) first, then 1, 2, ... A
 * restarted trainer continues from the newest snapshot in the models store and keeps counting versions up.
 */
final class TrainerProcessor<I> implements Processor<String, RawItem, String, ModelSnapshot> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerProcessor.class);
    private static final Duration TICK = Duration.ofMillis(100);

    /** What the trainer needs beyond the kind: settings already validated. */
    record Plan(String modelName, TrainerConfig trainer, Device device, ReplayPlan replay, int maxBacklog,
            int snapshotEvery, Duration linger) {}

    private final ItemKind<I> kind;
    private final Plan plan;
    private final PipelineMetrics metrics;
    private ProcessorContext<String, ModelSnapshot> context;
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
        this.context = context;
        KeyValueStore<String, ModelSnapshot> snapshots = context.getStateStore(LearnerTopology.MODELS_STORE);
        ModelSnapshot last = snapshots.get(kind.name());
        boolean fresh;
        if (last != null && kind.encoderSpec(last.getEncoderConfig()).equals(kind.encoderSpec())) {
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(),
                    ModelSnapshots.parameters(last), last.getStep());
            version = last.getVersion();
            fresh = false;
            LOG.info("{} trainer resumes from {} v{} (step {}) on {}", kind.name(), last.getName(), version,
                    last.getStep(), plan.device());
        } else {
            trainer = new ContrastiveTrainer(kind.encoderSpec(), plan.trainer(), plan.device(), null, 0);
            version = last == null ? -1 : last.getVersion(); // a changed encoder starts over, versions go on
            fresh = true;
            LOG.info("{} trainer starts fresh on {}: {} ({} parameters), {}", kind.name(), plan.device(),
                    kind.encoderSpec(), trainer.parameterCount(), plan.trainer());
        }
        if (fresh) { // the untrained encoder, published at the first tick so that embedding starts at once
            untrained = new TrainingLoop.Snapshot(0, trainer.saveParameters(), Float.NaN, 0, 0, 0);
        }
        loop = new TrainingLoop<>("trainer-" + kind.name() + "-" + context.taskId(),
                kind.learner(trainer, plan.replay()), plan.maxBacklog(), plan.snapshotEvery(), plan.linger(),
                this::onStep);
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
        publishSnapshots(); // version 0 goes out with the first item
        loop.offer(record.value().getId(), input);
        metrics.itemTrained(kind.name());
    }

    /** On the loop's thread. */
    private void onStep(StepResult r) {
        metrics.trainedStep(kind.name(), r.loss(), r.batchSize());
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
        ModelSnapshot s = ModelSnapshots.of(kind.name(), plan.modelName(), version, snapshot.step(),
                kind.encoderSpec().config(), snapshot.parameters(), m);
        context.forward(new Record<>(kind.name(), s, System.currentTimeMillis()));
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
