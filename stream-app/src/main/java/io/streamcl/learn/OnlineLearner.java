package io.streamcl.learn;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stream of items into training steps: items wait in a {@link ReplayBuffer}; whenever it
 * is full a batch is drawn, each drawn item gets two fresh augmented views (seeded by item id and
 * use, so a run is reproducible), and the trainer takes one step. At the end of a burst, {@link
 * #drainStep()} trains on what is left.
 *
 * @param <I> the decoded item (an image tensor, a token list...)
 */
public final class OnlineLearner<I> implements AutoCloseable {
    /** A decoded item waiting for training. */
    private record Example<I>(String id, long idHash, I input) {}

    private final ContrastiveTrainer trainer;
    private final Augmenter<I, float[]> augmenter;
    private final ReplayBuffer<Example<I>> buffer;
    private final int batchSize;
    private final long seed;
    private long itemsSeen;
    private long usesDropped;

    public OnlineLearner(ContrastiveTrainer trainer, Augmenter<I, float[]> augmenter, int batchSize,
            int replayCapacity, int usesPerItem, long seed) {
        if (batchSize < 2 || replayCapacity < batchSize) {
            throw new IllegalArgumentException("need 2 <= batchSize <= replayCapacity, got " + batchSize + ", "
                    + replayCapacity);
        }
        this.trainer = trainer;
        this.augmenter = augmenter;
        this.buffer = new ReplayBuffer<>(replayCapacity, usesPerItem, seed);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public ContrastiveTrainer trainer() {
        return trainer;
    }

    /**
     * Holds the item for training. Call {@link #stepIfFull()} first, as long as time allows: if the
     * buffer is still full, the item learned from the most makes room and its remaining uses are
     * dropped (see {@link #usesDropped()}), so a trainer that cannot keep up samples its input.
     */
    public void offer(String id, I input) {
        if (buffer.isFull()) {
            usesDropped += buffer.evictMostUsed();
        }
        buffer.add(new Example<>(id, idHash(id), input));
        itemsSeen++;
    }

    /** Training uses given up because items arrived faster than the trainer could learn them. */
    public long usesDropped() {
        return usesDropped;
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
            buffer.clear(); // a lone item has no negatives in its batch
            return null;
        }
        return step();
    }

    private StepResult step() {
        long t0 = System.nanoTime();
        List<ReplayBuffer.Draw<Example<I>>> draws = buffer.take(batchSize);
        List<float[]> v1 = new ArrayList<>(draws.size());
        List<float[]> v2 = new ArrayList<>(draws.size());
        long[] ids = new long[draws.size()];
        for (int i = 0; i < draws.size(); i++) {
            Example<I> e = draws.get(i).item();
            int use = draws.get(i).use();
            v1.add(augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 0)));
            v2.add(augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 1)));
            ids[i] = e.idHash();
        }
        double augmentMs = (System.nanoTime() - t0) / 1e6;
        return trainer.step(v1, v2, ids).withAugment(augmentMs);
    }

    /** 64-bit FNV-1a of the id: the bank compares these to never serve an item its own key. */
    static long idHash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    public long itemsSeen() {
        return itemsSeen;
    }

    /** Training still owed to items already seen; 0 when everything offered has been learned. */
    public long pendingUses() {
        return buffer.pendingUses();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
