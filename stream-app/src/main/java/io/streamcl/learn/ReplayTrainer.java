package io.streamcl.learn;

import java.util.ArrayList;
import java.util.List;

/**
 * The loop every {@link ItemLearner} shares: examples wait in a {@link ReplayBuffer}; a step draws a
 * batch, makes each drawn example's positive pair afresh for this use (so replayed examples get new
 * views), and trains. When full, the example learned from the most makes room for a new one.
 *
 * @param <E> what waits in the buffer
 */
final class ReplayTrainer<E> {

    /**
     * One positive pair.
     *
     * @param keyId the 64-bit id of what the key shows: the bank never serves a query its own key
     * @param keyLogQ log q(key item) for the logQ correction; ignored unless the trainer was built with it
     */
    record Pair(float[] query, float[] key, long keyId, float keyLogQ) {}

    /** Makes the pair of an example's {@code use}-th draw. */
    interface PairMaker<E> {
        Pair pair(E example, int use);
    }

    private final ContrastiveTrainer trainer;
    private final PairMaker<E> pairs;
    private final ReplayBuffer<E> buffer;
    private final int batchSize;
    private final boolean logQ;
    private long usesDropped;

    ReplayTrainer(ContrastiveTrainer trainer, PairMaker<E> pairs, ReplayPlan plan, boolean logQ) {
        this.trainer = trainer;
        this.pairs = pairs;
        this.buffer = new ReplayBuffer<>(plan.capacity(), plan.usesPerItem(), plan.seed());
        this.batchSize = plan.batchSize();
        this.logQ = logQ;
    }

    ContrastiveTrainer trainer() {
        return trainer;
    }

    void offer(E example) {
        if (buffer.isFull()) {
            usesDropped += buffer.evictMostUsed();
        }
        buffer.add(example);
    }

    boolean isFull() {
        return buffer.isFull();
    }

    StepResult stepIfFull() {
        return buffer.isFull() ? step() : null;
    }

    StepResult drainStep() {
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
            Pair p = pairs.pair(draws.get(i).item(), draws.get(i).use());
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

    long usesDropped() {
        return usesDropped;
    }

    long pendingUses() {
        return buffer.pendingUses();
    }
}
