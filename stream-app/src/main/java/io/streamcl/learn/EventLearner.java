package io.streamcl.learn;

import io.streamcl.augment.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link OnlineLearner} of user events: events become examples through {@link EventPairs} (which keeps
 * each user's session), examples wait in a {@link ReplayBuffer}, and each step trains on fresh views of a
 * drawn batch with the logQ correction (Yi et al. 2019): q(item) is estimated from the stream by an
 * {@link ItemFrequency} that sees each example's item once, when it arrives.
 *
 * <p>The key of an example is its item, so the bank never serves a query the item it is paired with.
 */
public final class EventLearner implements AutoCloseable {
    private final ContrastiveTrainer trainer;
    private final EventPairs pairs;
    private final ItemFrequency frequency;
    private final ReplayBuffer<EventPairs.Example> buffer;
    private final int batchSize;
    private final long seed;
    private final boolean logQ;
    private long examples;
    private long usesDropped;

    /**
     * @param logQ whether to correct in-batch logits by log q(item); ignored unless the method is moco
     */
    public EventLearner(ContrastiveTrainer trainer, EventPairs pairs, ItemFrequency frequency, int batchSize,
            int replayCapacity, int usesPerItem, boolean logQ, long seed) {
        if (batchSize < 2 || replayCapacity < batchSize) {
            throw new IllegalArgumentException("need 2 <= batchSize <= replayCapacity, got " + batchSize + ", "
                    + replayCapacity);
        }
        this.trainer = trainer;
        this.pairs = pairs;
        this.frequency = frequency;
        this.buffer = new ReplayBuffer<>(replayCapacity, usesPerItem, seed);
        this.batchSize = batchSize;
        this.logQ = logQ && trainer.config().method() == TrainerConfig.Method.MOCO; // only InfoNCE takes logQ
        this.seed = seed;
    }

    public ContrastiveTrainer trainer() {
        return trainer;
    }

    public EventPairs pairs() {
        return pairs;
    }

    /**
     * Records the event; when it makes an example, holds it for training. Call {@link #stepIfFull()} first
     * as long as time allows: if the buffer is still full, the example learned from the most makes room.
     *
     * @return whether the event made an example (not the first of its session)
     */
    public boolean offer(String userId, String itemId, Map<String, String> attributes, long timestampMillis) {
        EventPairs.Example e = pairs.observe(userId, itemId, attributes, timestampMillis);
        if (e == null) {
            return false;
        }
        frequency.observe(e.itemId());
        if (buffer.isFull()) {
            usesDropped += buffer.evictMostUsed();
        }
        buffer.add(e);
        examples++;
        return true;
    }

    public boolean isFull() {
        return buffer.isFull();
    }

    /** One step when the buffer is full, else null. */
    public StepResult stepIfFull() {
        return buffer.isFull() ? step() : null;
    }

    /** One step on whatever is held (stream idle), or null when there is nothing left to learn. */
    public StepResult drainStep() {
        if (buffer.size() < 2) {
            buffer.clear();
            return null;
        }
        return step();
    }

    private StepResult step() {
        long t0 = System.nanoTime();
        List<ReplayBuffer.Draw<EventPairs.Example>> draws = buffer.take(batchSize);
        List<float[]> queries = new ArrayList<>(draws.size());
        List<float[]> keys = new ArrayList<>(draws.size());
        long[] ids = new long[draws.size()];
        float[] keyLogQ = logQ ? new float[draws.size()] : null;
        for (int i = 0; i < draws.size(); i++) {
            EventPairs.Example e = draws.get(i).item();
            EventPairs.Views v = pairs.views(e, Seeds.forView(seed, e.itemId() + "@" + e.context(), draws.get(i).use(), 0));
            queries.add(v.query());
            keys.add(v.key());
            ids[i] = OnlineLearner.idHash(e.itemId());
            if (logQ) {
                keyLogQ[i] = (float) Math.log(frequency.probability(e.itemId()));
            }
        }
        double augmentMs = (System.nanoTime() - t0) / 1e6;
        return trainer.step(queries, keys, ids, keyLogQ).withAugment(augmentMs);
    }

    /** Examples made so far. */
    public long examplesSeen() {
        return examples;
    }

    public long usesDropped() {
        return usesDropped;
    }

    public long pendingUses() {
        return buffer.pendingUses();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
