package io.streamcl.learn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Trains one encoder contrastively, one batch of positive pairs at a time. Knows nothing of where
 * the items come from.
 *
 * <ul>
 *   <li>moco (He et al. 2020): query encoder f_q trained by Adam; key encoder f_k its EMA
 *       (k = m k + (1 - m) q); InfoNCE of q = f_q(view1) against k = f_k(view2), the other keys of the
 *       batch and a FIFO bank of earlier keys, never an item's own key.
 *   <li>simclr (Chen et al. 2020): both views through f_q; NT-Xent over the 2B views.
 *   <li>siamese (Hadsell et al. 2006): both views through f_q; margin loss on the B positive pairs
 *       and B negative pairs (each view1 with the next item's view2).
 * </ul>
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
    private final Model model;
    private final Trainer trainer;
    private final ContrastiveEncoder query;
    private final ContrastiveEncoder key;
    private final ParameterStore keyStore;
    private final MemoryBank bank;
    private final InfoNceLoss infoNce;
    private final NtXentLoss ntXent;
    private final MarginContrastiveLoss margin;
    private final AdamOptimizer optimizer;
    private long steps;
    /** The last checkpoint taken, or restored: where a diverged trainer goes back to. */
    private byte[] lastGood;
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
        model = Model.newInstance("encoder", device, "PyTorch");
        query = spec.newEncoder();
        model.setBlock(query);
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.l2Loss()) // unused: the loss is computed here
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(config.learningRate())).build())
                .optDevices(new Device[] {device});
        trainer = model.newTrainer(tc); // collects gradients; the update is this class's AdamOptimizer
        optimizer = new AdamOptimizer(config.learningRate(), model.getNDManager());
        // the seed is global to the engine: trainers of several kinds starting together must not
        // interleave their draws, or the same seed would give different initial weights
        synchronized (RANDOM_LOCK) {
            Engine.getEngine("PyTorch").setRandomSeed((int) config.seed());
            if (initialParameters != null) {
                query.initialize(model.getNDManager(), DataType.FLOAT32, spec.inputShape(1));
                loadInto(query, model.getNDManager(), initialParameters);
            }
            trainer.initialize(spec.inputShape(2));
        }

        Similarity sim = config.similarity();
        if (config.method() == TrainerConfig.Method.MOCO) {
            key = spec.newEncoder();
            synchronized (RANDOM_LOCK) { // its draws are overwritten below, but must not land in another's
                key.initialize(model.getNDManager(), DataType.FLOAT32, spec.inputShape(2));
            }
            key.freezeParameters(true);
            MomentumUpdate.copy(query, key);
            keyStore = new ParameterStore(model.getNDManager(), false);
            bank = new MemoryBank(model.getNDManager(), config.bankSize(), spec.projectionDim());
            infoNce = new InfoNceLoss(config.temperature(), sim);
        } else {
            key = null;
            keyStore = null;
            bank = null;
            infoNce = null;
        }
        ntXent = config.method() == TrainerConfig.Method.SIMCLR ? new NtXentLoss(config.temperature(), sim) : null;
        margin = config.method() == TrainerConfig.Method.SIAMESE ? new MarginContrastiveLoss(config.margin()) : null;
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
        return model.getNDManager().getDevice();
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
     * (see {@link InfoNceLoss}); moco only.
     *
     * @param keyLogQ B values, log q of the item of each second view (the key); null for none
     */
    public StepResult step(List<float[]> views1, List<float[]> views2, long[] itemIds, float[] keyLogQ) {
        int b = views1.size();
        if (b < 2 || views2.size() != b || itemIds.length != b) {
            throw new IllegalArgumentException("a step needs B >= 2 pairs and B ids, got " + b + "/"
                    + views2.size() + "/" + itemIds.length);
        }
        if (keyLogQ != null && (keyLogQ.length != b || config.method() != TrainerConfig.Method.MOCO)) {
            throw new IllegalArgumentException("logQ needs moco and B values, got " + config.method() + " and "
                    + keyLogQ.length);
        }
        keepFirstGoodState();
        long t0 = System.nanoTime();
        try (NDManager sm = model.getNDManager().newSubManager()) {
            NDArray x1 = sm.create(flatten(views1), spec.inputShape(b)); // (B, input...)
            NDArray x2 = sm.create(flatten(views2), spec.inputShape(b));
            NDArray keys = null;
            if (key != null) {
                // (B, P): no GradientCollector is open and f_k is frozen, so no graph is recorded
                keys = key.forward(keyStore, new NDList(x2), false).get(1);
                if (config.similarity().normalizes()) {
                    keys = keys.normalize(2, 1, 1e-12);
                }
            }
            float loss;
            float top1;
            long tBackward;
            long tOptimizer;
            synchronized (GRADIENT_LOCK) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray[] z = forwardPair(x1, x2, keys == null, b); // z[0], z[1]: (B, P)
                    NDArray logQ = keyLogQ == null ? null : sm.create(keyLogQ); // (B)
                    NDArray lossArray = loss(z[0], keys == null ? z[1] : keys, itemIds, logQ, sm, b);
                    loss = lossArray.getFloat(); // waits for the forward pass
                    if (!Float.isFinite(loss)) {
                        return discarded(loss, b, t0, "loss " + loss);
                    }
                    tBackward = System.nanoTime();
                    gc.backward(lossArray);
                    top1 = positiveTop1(z[0], keys == null ? z[1] : keys, sm, b);
                }
                if (!finiteSum(query, true)) {
                    return discarded(loss, b, t0, "a non-finite gradient");
                }
                tOptimizer = System.nanoTime();
                optimizer.update(query.getParameters());
            }
            if (!finiteSum(query, false)) { // the update itself overflowed: nothing to discard it to but the last state
                LOG.warn("step {} made a parameter non-finite (loss {}): the trainer goes back to its state at step {}",
                        steps + 1, loss, restoreLastGood());
                return new StepResult(steps, loss, Float.NaN, b, ms(t0, System.nanoTime()), NO_PHASES,
                        StepResult.Outcome.RESTORED);
            }
            discardedInARow = 0;
            long tEma = System.nanoTime();
            if (key != null) {
                MomentumUpdate.ema(query, key, config.momentum());
            }
            long tBank = System.nanoTime();
            if (key != null) {
                bank.enqueue(keys, itemIds);
            }
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

    /** Whether the parameters (or their gradients) sum to a finite number: one value per array to read. */
    private static boolean finiteSum(ContrastiveEncoder encoder, boolean gradients) {
        double sum = 0;
        for (Parameter p : encoder.getParameters().values()) {
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

    /** Projections of both views; the second only when both go through f_q (simclr, siamese). */
    private NDArray[] forwardPair(NDArray x1, NDArray x2, boolean bothThroughQuery, int b) {
        if (!bothThroughQuery) {
            return new NDArray[] {trainer.forward(new NDList(x1)).get(1), null};
        }
        NDArray z = trainer.forward(new NDList(NDArrays.concat(new NDList(x1, x2)))).get(1); // (2B, P)
        return new NDArray[] {z.get(new NDIndex("0:{}", b)), z.get(new NDIndex("{}:", b))};
    }

    private NDArray loss(NDArray z1, NDArray z2, long[] itemIds, NDArray keyLogQ, NDManager sm, int b) {
        switch (config.method()) {
            case MOCO:
                NDArray bankKeys = bank.size() == 0 ? null : bank.keys(sm); // (K, P)
                NDArray self = bank.size() == 0 ? null : bank.isSelf(itemIds, sm); // (B, K)
                return infoNce.compute(z1, z2, bankKeys, self, keyLogQ);
            case SIMCLR:
                return ntXent.compute(z1, z2);
            case SIAMESE:
                NDArray a = z1;
                NDArray c = z2;
                if (config.similarity().normalizes()) {
                    a = a.normalize(2, 1, 1e-12);
                    c = c.normalize(2, 1, 1e-12);
                }
                // negatives: each item's first view against the next item's second view
                NDArray shifted = NDArrays.concat(new NDList(c.get(new NDIndex("1:")), c.get(new NDIndex("0:1"))));
                NDArray labels = NDArrays.concat(new NDList(sm.ones(new ai.djl.ndarray.types.Shape(b)),
                        sm.zeros(new ai.djl.ndarray.types.Shape(b))));
                return margin.compute(NDArrays.concat(new NDList(a, a)), NDArrays.concat(new NDList(c, shifted)), labels);
            default:
                throw new IllegalStateException(config.method().name());
        }
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
            for (float v : p.getArray().toFloatArray()) { // on the JVM: no NDArray left in the model's manager
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The query encoder's parameters (backbone and head), as a snapshot carries them. */
    public byte[] saveParameters() {
        return saveParameters(query);
    }

    static byte[] saveParameters(ContrastiveEncoder encoder) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
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

    private static final int CHECKPOINT_FORMAT = 0x53434B31; // "SCK1"

    /**
     * Everything a restarted trainer needs to go on exactly where this one is: the step count, the query
     * encoder, the key encoder (MoCo's EMA), the optimizer's moments and the memory bank. Several times
     * the size of {@link #saveParameters()}.
     */
    public byte[] checkpoint() {
        lastGood = writeCheckpoint();
        return lastGood;
    }

    private byte[] writeCheckpoint() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(CHECKPOINT_FORMAT);
            out.writeLong(steps);
            writeBlob(out, saveParameters(query));
            writeBlob(out, key == null ? new byte[0] : saveParameters(key));
            optimizer.save(query.getParameters(), out);
            out.writeBoolean(bank != null);
            if (bank != null) {
                bank.save(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A trainer that goes on from a {@link #checkpoint()} of one with the same spec and config.
     *
     * @throws IllegalArgumentException if the checkpoint is not one, or does not fit the spec
     */
    public static ContrastiveTrainer fromCheckpoint(EncoderSpec spec, TrainerConfig config, Device device,
            byte[] checkpoint) {
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
     * config: encoders, optimizer, bank and step count.
     *
     * @throws IllegalArgumentException if the checkpoint is not one, or does not fit the spec
     */
    public void restore(byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            if (in.readInt() != CHECKPOINT_FORMAT) {
                throw new IllegalArgumentException("not a trainer checkpoint");
            }
            long stepsThen = in.readLong();
            copyInto(query, readBlob(in));
            byte[] keyParameters = readBlob(in);
            if (key != null && keyParameters.length > 0) {
                copyInto(key, keyParameters);
            }
            optimizer.restore(query.getParameters(), in);
            if (in.readBoolean() && bank != null) {
                bank.restore(in);
            }
            steps = stepsThen;
            lastGood = checkpoint;
        } catch (IOException e) {
            throw new IllegalArgumentException("trainer checkpoint does not fit " + spec + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets a live encoder's parameters to saved ones, in place: loading would replace its arrays, and the
     * optimizer, the gradients and the trainer's parameter store all hold the arrays it has.
     */
    private void copyInto(ContrastiveEncoder live, byte[] parameters) {
        try (NDManager scratch = model.getNDManager().newSubManager()) {
            ContrastiveEncoder saved = spec.newEncoder();
            synchronized (RANDOM_LOCK) { // its draws are overwritten, but must not land in another's
                saved.initialize(scratch, DataType.FLOAT32, spec.inputShape(2));
            }
            loadInto(saved, scratch, parameters);
            MomentumUpdate.copy(saved, live);
        }
    }

    private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
        out.writeInt(blob.length);
        out.write(blob);
    }

    private static byte[] readBlob(DataInputStream in) throws IOException {
        byte[] blob = new byte[in.readInt()];
        in.readFully(blob);
        return blob;
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
        if (bank != null) {
            bank.close();
        }
        trainer.close();
        model.close();
    }
}
