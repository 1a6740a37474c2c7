package io.streamcl.learn;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.Seeds;

/**
 * The learner of items that stand alone (images, sentences): an item's positive pair is two fresh
 * augmented views of it, seeded by item id and use, so a run is reproducible. Items wait in a replay
 * buffer and each is used several times (see {@link ReplayLearner}).
 *
 * @param <I> the decoded item (an image tensor, a token list...)
 */
public final class OnlineLearner<I> extends ReplayLearner<I, OnlineLearner.Example<I>> {
    /** A decoded item waiting for training. */
    record Example<I>(String id, long idHash, I input) {}

    private final Augmenter<I, float[]> augmenter;
    private final long seed;

    public OnlineLearner(ContrastiveTrainer trainer, Augmenter<I, float[]> augmenter, ReplayPlan plan) {
        super(trainer, plan, false);
        this.augmenter = augmenter;
        this.seed = plan.seed();
    }

    @Override
    public void offer(String id, I input, long seq) {
        seen();
        hold(new Example<>(id, idHash(id), input), seq);
    }

    @Override
    Pair pair(Example<I> e, int use) {
        return new Pair(augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 0)),
                augmenter.view(e.input(), Seeds.forView(seed, e.id(), use, 1)), e.idHash(), 0f);
    }
}
