package io.streamcl.learn;

import io.streamcl.augment.Seeds;
import io.streamcl.ingest.EventRow;

/**
 * The learner of user events: events become examples through {@link EventPairs} (which keeps each user's
 * session), and each step trains on fresh views of a drawn batch with the logQ correction (Yi et al.
 * 2019): q(item) is estimated from the stream by an {@link ItemFrequency} that sees each example's item
 * once, when it arrives.
 *
 * <p>The key of an example is its item, so the bank never serves a query the item it is paired with.
 * Events must arrive roughly in time order; see {@link UserHistory} for what late ones do.
 */
public final class EventLearner extends ReplayLearner<EventRow, EventPairs.Example> {
    private final EventPairs pairs;
    private final ItemFrequency frequency;
    private final long seed;
    private final boolean logQ;
    private long examples;

    /**
     * @param logQ whether to correct in-batch logits by log q(item); ignored unless the method is moco
     */
    public EventLearner(ContrastiveTrainer trainer, EventPairs pairs, ItemFrequency frequency, ReplayPlan plan,
            boolean logQ) {
        super(trainer, plan, withLogQ(trainer, logQ));
        this.pairs = pairs;
        this.frequency = frequency;
        this.seed = plan.seed();
        this.logQ = withLogQ(trainer, logQ);
    }

    /** Only InfoNCE (moco) takes the correction. */
    private static boolean withLogQ(ContrastiveTrainer trainer, boolean asked) {
        return asked && trainer.correctsLogQ();
    }

    public EventPairs pairs() {
        return pairs;
    }

    /**
     * Records the event in its user's history; when it makes an example (it is not the first of its
     * session), holds that for training.
     */
    @Override
    public void offer(String id, EventRow event, long seq) {
        seen();
        EventPairs.Example e = pairs.observe(event.userId(), event.itemId(), event.itemAttributes(),
                event.timestampMillis());
        if (e == null) {
            return;
        }
        frequency.observe(e.itemId());
        hold(e, seq);
        examples++;
    }

    @Override
    Pair pair(EventPairs.Example e, int use) {
        EventPairs.Views v = pairs.views(e, Seeds.forView(seed, e.itemId() + "@" + e.context(), use, 0));
        float keyLogQ = logQ ? (float) Math.log(frequency.probability(e.itemId())) : 0f;
        return new Pair(v.query(), v.key(), idHash(e.itemId()), keyLogQ);
    }

    /** Examples made so far (events that were not the first of their session). */
    public long examplesSeen() {
        return examples;
    }
}
