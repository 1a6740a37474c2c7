package io.streamcl.learn;

import io.streamcl.ingest.Hashes;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop every {@link ItemLearner} shares: examples wait in a {@link ReplayBuffer}; a step draws a
 * batch, makes each drawn example's positive pair afresh for this use (so replayed examples get new
 * views), and trains. When full, the example learned from the most makes room for a new one. A learner
 * says how its items become examples ({@link #offer}, then {@link #hold}) and how an example becomes a
 * pair ({@link #pair}).
 *
 * @param <I> the decoded item
 * @param <E> what waits in the buffer
 */
abstract class ReplayLearner<I, E> implements ItemLearner<I> {

    /**
     * One positive pair.
     *
     * @param keyId the 64-bit id of what the key shows: the bank never serves a query its own key
     * @param keyLogQ log q(key item) for the logQ correction; ignored unless the learner was built with it
     */
    record Pair(float[] query, float[] key, long keyId, float keyLogQ) {}

    private final ContrastiveTrainer trainer;
    private final ReplayBuffer<E> buffer;
    private final int batchSize;
    private final boolean logQ;
    private ProbeSet probe;
    private long itemsSeen;
    private long usesDropped;

    ReplayLearner(ContrastiveTrainer trainer, ReplayPlan plan, boolean logQ) {
        this.trainer = trainer;
        this.buffer = new ReplayBuffer<>(plan.capacity(), plan.usesPerItem(), plan.seed());
        this.batchSize = plan.batchSize();
        this.logQ = logQ;
        this.probe = new ProbeSet(plan.probeItems());
    }

    /** Never drawn in training: the probe's views are ones the encoder is not trained on. */
    private static final int PROBE_USE = Integer.MAX_VALUE;

    /** The pair of an example's {@code use}-th draw. */
    abstract Pair pair(E example, int use);

    /** Counts an offered item; call once per {@link #offer}. */
    final void seen() {
        itemsSeen++;
    }

    /** Holds an example for training, making room if the buffer is full; {@code seq} as {@link #offer} got it. */
    final void hold(E example, long seq) {
        if (!probe.isFull() && probe.capacity() > 0) {
            Pair p = pair(example, PROBE_USE);
            probe.offer(p.query(), p.key());
        }
        if (buffer.isFull()) {
            usesDropped += buffer.evictMostUsed();
        }
        buffer.add(example, seq);
    }

    @Override
    public final long oldestHeld() {
        return buffer.oldestSeq();
    }

    @Override
    public final boolean isFull() {
        return buffer.isFull();
    }

    @Override
    public final StepResult stepIfFull() {
        return buffer.isFull() ? step() : null;
    }

    @Override
    public final StepResult drainStep() {
        if (buffer.size() < 2) {
            buffer.clear(); // a lone example has no negatives in its batch
            return null;
        }
        return step();
    }

    private StepResult step() {
        long t0 = System.nanoTime();
        List<ReplayBuffer.Draw<E>> draws = buffer.take(batchSize);
        List<float[]> queries = new ArrayList<>(draws.size());
        List<float[]> keys = new ArrayList<>(draws.size());
        long[] ids = new long[draws.size()];
        float[] keyLogQ = logQ ? new float[draws.size()] : null;
        for (int i = 0; i < draws.size(); i++) {
            Pair p = pair(draws.get(i).item(), draws.get(i).use());
            queries.add(p.query());
            keys.add(p.key());
            ids[i] = p.keyId();
            if (logQ) {
                keyLogQ[i] = p.keyLogQ();
            }
        }
        double augmentMs = (System.nanoTime() - t0) / 1e6;
        return trainer.step(queries, keys, ids, keyLogQ).withAugment(augmentMs);
    }

    @Override
    public final ContrastiveTrainer trainer() {
        return trainer;
    }

    @Override
    public final long itemsSeen() {
        return itemsSeen;
    }

    @Override
    public final long usesDropped() {
        return usesDropped;
    }

    @Override
    public final ProbeSet probe() {
        return probe;
    }

    @Override
    public final void restoreProbe(ProbeSet saved) {
        probe = saved;
    }

    @Override
    public final long pendingUses() {
        return buffer.pendingUses();
    }

    @Override
    public final void close() {
        trainer.close();
    }

    /** 64-bit FNV-1a of an id: the bank compares these to never serve an item its own key. */
    static long idHash(String id) {
        return Hashes.fnv1a(id);
    }
}
