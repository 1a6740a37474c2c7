package io.streamcl.learn;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.Seeds;

/**
 * The learner of items that stand alone (images, sentences): an item's positive pair is two fresh
 * augmented views of it, seeded by item id and use, so a run is reproducible. Items wait in a replay
 * buffer and each is used several times (see {@link ReplayTrainer}).
 *
 * @param <I> the decoded item (an image tensor, a token list...)
 */
public final class OnlineLearner<I> implements ItemLearner<I> {
    /** A decoded item waiting for training. */
    private record Example<I>(String id, long idHash, I input) {}

    private final ReplayTrainer<Example<I>> replay;
    private long itemsSeen;

    public OnlineLearner(ContrastiveTrainer trainer, Augmenter<I, float[]> augmenter, ReplayPlan plan) {
        long seed = plan.seed();
        this.replay = new ReplayTrainer<Example<I>>(trainer, (e, use) -> new ReplayTrainer.Pair(
                augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 0)),
                augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 1)),
                e.idHash(), 0f), plan, false);
    }

    @Override
    public void offer(String id, I input) {
        replay.offer(new Example<>(id, idHash(id), input));
        itemsSeen++;
    }

    @Override
    public boolean isFull() {
        return replay.isFull();
    }

    @Override
    public StepResult stepIfFull() {
        return replay.stepIfFull();
    }

    @Override
    public StepResult drainStep() {
        return replay.drainStep();
    }

    @Override
    public ContrastiveTrainer trainer() {
        return replay.trainer();
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

    @Override
    public long itemsSeen() {
        return itemsSeen;
    }

    @Override
    public long usesDropped() {
        return replay.usesDropped();
    }

    @Override
    public long pendingUses() {
        return replay.pendingUses();
    }

    @Override
    public void close() {
        replay.trainer().close();
    }
}
