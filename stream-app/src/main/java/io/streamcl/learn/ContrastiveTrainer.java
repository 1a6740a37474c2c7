package io.streamcl.learn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.serde.ChunkedBytes;
import io.streamcl.schema.state.TrainerCheckpoint;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * Trains one encoder contrastively, one batch of positive pairs at a time. Knows nothing of where
 * the items come from.
 *
 * <p>The trainer owns the query encoder f_q, the loop of a step (forward, backward, Adam's update), the
 * divergence guard and the checkpoint's frame; what the step minimises, and any state that comes with it, is
 * the method's {@link ContrastiveObjective} ({@link TrainerConfig.Method}): moco (a key encoder and a memory
 * bank), simclr or siamese.
 *
 * <p>DJL allows one open GradientCollector per process, so steps of all trainers in the process
 * are serialised on one lock. Each step runs in its own NDManager, closed at its end.
 */
public final class ContrastiveTrainer implements AutoCloseable {
    private static final Object GRADIENT_LOCK = new Object();
    /**
     * Guards the engine's one random generator: every block initialisation draws from it, an embedder's
     * too, so a draw on another thread between a trainer's seeding and its initialisation would change
     * the trainer's initial weights (its version 0).
     */
    static final Object RANDOM_LOCK = new Object();

    private final EncoderSpec spec;
    private final TrainerConfig config;
    private final NDManager manager;
    private final ContrastiveEncoder query;
    private final ParameterStore queryStore;
    private final ContrastiveObjective objective;
    private final AdamOptimizer optimizer;
    private final Set<String> tables; // ids of the lookup tables, updated by the rows a step read
    private long steps;
    /** The last checkpoint taken, or restored: where a diverged trainer goes back to. */
    private ChunkedBytes lastGood;
    private int discardedInARow;
    /** A discarded step was not timed phase by phase. */
    private static final StepResult.Phases NO_PHASES = new StepResult.Phases(0, 0, 0, 0, 0, 0);
    /** Steps discarded in a row before the trainer goes back to its last good state. */
    static final int MAX_DISCARDED_IN_A_ROW = 3;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContrastiveTrainer.class);

    /**
     * @param initialParameters parameters to start from ({@link #saveParameters()} of an earlier
     *                          trainer with the same spec), or null for a fresh, seeded initialisation
     * @param initialSteps      steps already taken by those parameters
     */
    public ContrastiveTrainer(EncoderSpec spec, TrainerConfig config, Device device, byte[] initialParameters,
            long initialSteps) {
        NativeAllocator.tune();
        this.spec = spec;
        this.config = config;
        this.steps = initialSteps;
        // no DJL Trainer: its loss and optimizer would go unused (the loss is the objective's, the update
        // AdamOptimizer's), and gradients need only the engine's collector
        manager = NDManager.newBaseManager(device, "PyTorch");
        query = spec.newEncoder();
        queryStore = new ParameterStore(manager, false);
        tables = HashedBag.tableIds(query);
        optimizer = new AdamOptimizer(config.learningRate(), config.schedule(), manager, tables,
                config.tableLearningRateFactor());
        // the seed is global to the engine: trainers of several kinds starting together must not
        // interleave their draws, or the same seed would give different initial weights
        synchronized (RANDOM_LOCK) {
            Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
            if (initialParameters != null) {
                query.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
                loadInto(query, manager, initialParameters);
            }
            // after loading too: loaded arrays get their gradients here (it draws only for uninitialised ones)
            query.initialize(manager, DataType.FLOAT32, spec.inputShape(2));
        }
        objective = config.method().newObjective(new ContrastiveObjective.Setup(spec, config, query, manager));
    }

    public EncoderSpec spec() {
        return spec;
    }

    public TrainerConfig config() {
        return config;
    }

    public long steps() {
        return steps;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** Whether {@link #step(List, List, long[], float[])} takes a logQ correction (moco's InfoNCE does). */
    public boolean correctsLogQ() {
        return objective.correctsLogQ();
    }

    /**
     * One optimizer step on B positive pairs.
     *
     * @param views1 B first views, each {@link EncoderSpec#inputSize()} floats
     * @param views2 B second views of the same items, same order
     * @param itemIds B ids (hashes) of the items, so the bank never serves an item its own key
     */
    public StepResult step(List<float[]> views1, List<float[]> views2, long[] itemIds) {
        return step(views1, views2, itemIds, null);
    }

    /**
     * One optimizer step on B positive pairs, with the logQ correction of the in-batch negatives
     * (see {@link InfoNceLoss}); only when {@link #correctsLogQ()}.
     *
     * @param keyLogQ B values, log q of the item of each second view (the key); null for none
     */
    public StepResult step(List<float[]> views1, List<float[]> views2, long[] itemIds, float[] keyLogQ) {
        int b = views1.size();
        if (b < 2 || views2.size() != b || itemIds.length != b) {
            throw new IllegalArgumentException("a step needs B >= 2 pairs and B ids, got " + b + "/"
                    + views2.size() + "/" + itemIds.length);
        }
        if (keyLogQ != null && (keyLogQ.length != b || !objective.correctsLogQ())) {
            throw new IllegalArgumentException("logQ needs an objective that corrects it (moco) and B values, got "
                    + config.method() + " and " + keyLogQ.length);
        }
        keepFirstGoodState();
        long t0 = System.nanoTime();
        try (NDManager sm = manager.newSubManager()) {
            NDArray x1 = sm.create(flatten(views1), spec.inputShape(b)); // (B, input...)
            NDArray x2 = sm.create(flatten(views2), spec.inputShape(b));
            ContrastiveObjective.Step objectiveStep = objective.start(x1, x2, itemIds, sm);
            float loss;
            float top1;
            long tBackward;
            long tOptimizer;
            synchronized (GRADIENT_LOCK) {
                RowTouches touches = RowTouches.startOn(query);
                try {
                    try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                        NDArray logQ = keyLogQ == null ? null : sm.create(keyLogQ); // (B)
                        ContrastiveObjective.Forward forward = objectiveStep.forward(this::project, logQ);
                        loss = forward.loss().getFloat(); // waits for the forward pass
                        if (!Float.isFinite(loss)) {
                            return discarded(loss, b, t0, "loss " + loss);
                        }
                        tBackward = System.nanoTime();
                        gc.backward(forward.loss());
                        top1 = positiveTop1(forward.anchors(), forward.positives(), sm, b);
                    }
                    if (!finiteSum(query, true, tables) || !touches.finiteGradients()) {
                        return discarded(loss, b, t0, "a non-finite gradient");
                    }
                    tOptimizer = System.nanoTime();
                    objectiveStep.beforeQueryMoves(touches);
                    optimizer.update(query.getParameters(), touches);
                } finally {
                    touches.stop();
                }
            }
            // the update itself overflowed: nothing to discard it to but the last state. The tables are not read
            // (a pass over every row a step): Adam moves a row by a few learning rates at most, given the finite
            // gradients checked above, so a finite row stays finite
            if (!finiteSum(query, false, tables)) {
                LOG.warn("step {} made a parameter non-finite (loss {}): the trainer goes back to its state at step {}",
                        steps + 1, loss, restoreLastGood());
                return new StepResult(steps, loss, Float.NaN, b, ms(t0, System.nanoTime()), NO_PHASES,
                        StepResult.Outcome.RESTORED);
            }
            discardedInARow = 0;
            long tEma = System.nanoTime();
            objectiveStep.followQuery();
            long tBank = System.nanoTime();
            objectiveStep.remember();
            long tEnd = System.nanoTime();
            steps++;
            StepResult.Phases phases = new StepResult.Phases(0, ms(t0, tBackward),
                    ms(tBackward, tOptimizer), ms(tOptimizer, tEma), ms(tEma, tBank), ms(tBank, tEnd));
            return new StepResult(steps, loss, top1, b, ms(t0, tEnd), phases);
        }
    }

    /**
     * A step that changed nothing. After {@link #MAX_DISCARDED_IN_A_ROW} in a row the trainer is not having
     * a bad batch but diverging (its parameters are finite, yet every loss is not), and goes back to its last
     * good state.
     */
    private StepResult discarded(float loss, int b, long t0, String why) {
        discardedInARow++;
        if (discardedInARow < MAX_DISCARDED_IN_A_ROW) {
            LOG.debug("step {} discarded: {}", steps + 1, why);
            return new StepResult(steps, loss, Float.NaN, b, ms(t0, System.nanoTime()), NO_PHASES,
                    StepResult.Outcome.DISCARDED);
        }
        LOG.warn("{} steps in a row discarded ({}): the trainer goes back to its state at step {}",
                discardedInARow, why, restoreLastGood());
        discardedInARow = 0;
        return new StepResult(steps, loss, Float.NaN, b, ms(t0, System.nanoTime()), NO_PHASES,
                StepResult.Outcome.RESTORED);
    }

    /**
     * Whether the parameters (or their gradients) sum to a finite number: one value per array to read.
     *
     * @param skipped ids of parameters not to read (the tables, whose gradients the step's touches hold)
     */
    private static boolean finiteSum(ContrastiveEncoder encoder, boolean gradients, Set<String> skipped) {
        double sum = 0;
        for (Parameter p : encoder.getParameters().values()) {
            if (gradients && !p.getArray().hasGradient() || skipped.contains(p.getId())) { // batch norm's statistics
                continue;
            }
            NDArray a = gradients ? p.getArray().getGradient() : p.getArray();
            try (NDArray s = a.sum()) {
                sum += s.getFloat();
            }
        }
        return Double.isFinite(sum);
    }

    /** Goes back to the last checkpoint taken (or the state before the first step); returns its step. */
    private long restoreLastGood() {
        restore(lastGood);
        return steps;
    }

    /** Keeps the state before the first step, so that there is always a good state to go back to. */
    private void keepFirstGoodState() {
        if (lastGood == null) {
            lastGood = writeCheckpoint();
        }
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    /** f_q in training mode: (N, input...) -> (N, P) projections. */
    private NDArray project(NDArray x) {
        return query.forward(queryStore, new NDList(x), true).get(1);
    }

    /** Fraction of rows whose most similar column is their own partner: a cheap health signal. */
    private static float positiveTop1(NDArray z1, NDArray z2, NDManager sm, int b) {
        NDArray sims = z1.stopGradient().matMul(z2.stopGradient().transpose()); // (B, B)
        NDArray hits = sims.argMax(1).eq(sm.arange(0, b, 1, DataType.INT64));
        return hits.toType(DataType.FLOAT32, false).mean().getFloat();
    }

    private static float[] flatten(List<float[]> views) {
        int n = views.get(0).length;
        float[] out = new float[views.size() * n];
        for (int i = 0; i < views.size(); i++) {
            float[] v = views.get(i);
            if (v.length != n) {
                throw new IllegalArgumentException("view " + i + " has " + v.length + " values, expected " + n);
            }
            System.arraycopy(v, 0, out, i * n, n);
        }
        return out;
    }

    /** Whether every parameter of the query encoder is a finite number (a diverged step leaves NaN or inf). */
    public boolean parametersFinite() {
        return parametersFinite(query);
    }

    static boolean parametersFinite(ContrastiveEncoder encoder) {
        for (Parameter p : encoder.getParameters().values()) {
            for (float v : p.getArray().toFloatArray()) { // on the JVM: no NDArray left in the trainer's manager
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The published encoder's parameters (backbone and head), as a snapshot carries them: f_q unless configured. */
    public byte[] saveParameters() {
        return saveParameters(objective.published(query));
    }

    static byte[] saveParameters(ContrastiveEncoder encoder) {
        long values = 0;
        for (Parameter p : encoder.getParameters().values()) {
            values += p.getArray().size();
        }
        // float32 values and DJL's headers: sized so that tens of MB of a large table are not copied as it grows
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16,
                values * Float.BYTES + (1 << 16)));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            encoder.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static void loadInto(ContrastiveEncoder encoder, NDManager manager, byte[] parameters) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            encoder.loadParameters(manager, in);
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalArgumentException("parameters do not fit encoder " + encoder + ": " + e.getMessage(), e);
        }
    }

    private static final AvroCodec<TrainerCheckpoint> CHECKPOINTS = AvroCodec.of(TrainerCheckpoint.class);

    /**
     * Everything a restarted trainer needs to go on exactly where this one is: a {@link TrainerCheckpoint} of
     * the step count, the query encoder, the optimizer's moments and the objective's state (MoCo's key encoder
     * and bank). Several times the size of {@link #saveParameters()}.
     */
    public ChunkedBytes checkpoint() {
        // a large table's state is 100 MB or more: the old one is let go first, so that memory never holds both
        // (should the new one fail to be written, the trainer cannot go on anyway)
        lastGood = null;
        lastGood = writeCheckpoint();
        return lastGood;
    }

    /**
     * In chunks (a heap with room for 136 MB may have no free run of it in one piece), kept outside the heap: it
     * is kept until the next one, and read back only if the trainer diverges.
     */
    private ChunkedBytes writeCheckpoint() {
        byte[] objectiveState = objective.saveState();
        return CHECKPOINTS.encodeChunked(TrainerCheckpoint.newBuilder()
                .setSteps(steps)
                .setObjective(config.method().name())
                .setQueryParameters(ByteBuffer.wrap(saveParameters(query)))
                .setOptimizer(optimizer.save(query.getParameters()))
                .setObjectiveState(objectiveState == null ? null : ByteBuffer.wrap(objectiveState))
                .build()).outsideTheHeap();
    }

    /**
     * A trainer that goes on from a {@link #checkpoint()} of one with the same spec and config.
     *
     * @throws IllegalArgumentException if the checkpoint is not one, or does not fit the spec or method
     */
    public static ContrastiveTrainer fromCheckpoint(EncoderSpec spec, TrainerConfig config, Device device,
            ChunkedBytes checkpoint) {
        ContrastiveTrainer t = new ContrastiveTrainer(spec, config, device, null, 0);
        try {
            t.restore(checkpoint);
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /**
     * Puts this trainer back exactly as it was at a {@link #checkpoint()} of one with the same spec and
     * config: query encoder, optimizer, the objective's state and step count.
     *
     * @throws IllegalArgumentException if the checkpoint is not one, or does not fit the spec or method
     */
    public void restore(ChunkedBytes checkpoint) {
        TrainerCheckpoint c = CHECKPOINTS.decode(checkpoint.open());
        if (!c.getObjective().equals(config.method().name())) {
            throw new IllegalArgumentException("a checkpoint of a " + c.getObjective() + " trainer; this one is "
                    + config.method());
        }
        copyInto(spec, manager, query, AvroCodec.bytes(c.getQueryParameters()));
        optimizer.restore(query.getParameters(), c.getOptimizer());
        objective.restoreState(c.getObjectiveState() == null ? null : AvroCodec.bytes(c.getObjectiveState()));
        steps = c.getSteps();
        lastGood = checkpoint.outsideTheHeap();
    }

    /**
     * Sets a live encoder's parameters to saved ones, in place: loading would replace its arrays, and the
     * optimizer, the gradients and the parameter stores all hold the arrays it has.
     */
    static void copyInto(EncoderSpec spec, NDManager manager, ContrastiveEncoder live, byte[] parameters) {
        try (NDManager scratch = manager.newSubManager()) {
            ContrastiveEncoder saved = spec.newEncoder();
            synchronized (RANDOM_LOCK) { // its draws are overwritten, but must not land in another's
                saved.initialize(scratch, DataType.FLOAT32, spec.inputShape(2));
            }
            loadInto(saved, scratch, parameters);
            MomentumUpdate.copy(saved, live);
        }
    }

    /** Number of trainable values, for the log. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : query.getParameters().values()) {
            n += p.getArray().size();
        }
        return n;
    }

    @Override
    public void close() {
        objective.close();
        manager.close();
    }
}
