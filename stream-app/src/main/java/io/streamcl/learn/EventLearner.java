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
public final class EventLearner implements ItemLearner<EventRow> {
    private final EventPairs pairs;
    private final ItemFrequency frequency;
    private final ReplayTrainer<EventPairs.Example> replay;
    private long events;
    private long examples;

    /**
     * @param logQ whether to correct in-batch logits by log q(item); ignored unless the method is moco
     */
    public EventLearner(ContrastiveTrainer trainer, EventPairs pairs, ItemFrequency frequency, ReplayPlan plan,
            boolean logQ) {
        this.pairs = pairs;
        this.frequency = frequency;
        long seed = plan.seed();
        boolean withLogQ = logQ && trainer.config().method() == TrainerConfig.Method.MOCO; // only InfoNCE takes it
        this.replay = new ReplayTrainer<EventPairs.Example>(trainer, (e, use) -> {
            EventPairs.Views v = pairs.views(e, Seeds.forView(seed, e.itemId() + "@" + e.context(), use, 0));
            float logQ1 = withLogQ ? (float) Math.log(frequency.probability(e.itemId())) : 0f;
            return new ReplayTrainer.Pair(v.query(), v.key(), OnlineLearner.idHash(e.itemId()), logQ1);
        }, plan, withLogQ);
    }

    public EventPairs pairs() {
        return pairs;
    }

    /**
     * Records the event in its user's history; when it makes an example (it is not the first of its
     * session), holds that for training.
     */
    @Override
    public void offer(String id, EventRow event) {
        events++;
        EventPairs.Example e = pairs.observe(event.userId(), event.itemId(), event.itemAttributes(),
                event.timestampMillis());
        if (e == null) {
            return;
        }
        frequency.observe(e.itemId());
        replay.offer(e);
        examples++;
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

    /** Events offered. */
    @Override
    public long itemsSeen() {
        return events;
    }

    /** Examples made so far (events that were not the first of their session). */
    public long examplesSeen() {
        return examples;
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
