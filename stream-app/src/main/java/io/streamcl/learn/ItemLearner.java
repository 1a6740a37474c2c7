package io.streamcl.learn;

/**
 * What a trainer feeds a kind's decoded items to. It holds them for training and takes a step when
 * asked; how an item becomes positive pairs is its own business (two augmented views of an image, a
 * user's session and the item they picked next...).
 *
 * <p>The caller alternates: {@link #stepIfFull()} while it has time, then {@link #offer}; when the stream
 * is idle, {@link #drainStep()} until it returns null.
 *
 * @param <I> the decoded item
 */
public interface ItemLearner<I> extends AutoCloseable {

    /**
     * Holds the item for training. If the learner is still full (the caller ran out of time to step), the
     * held item learned from the most makes room and its remaining uses are dropped.
     *
     * @param seq the item's place in the stream, counted from 0 over every item ever offered to the kind's
     *     trainer; what {@link #oldestHeld()} reports
     */
    void offer(String id, I item, long seq);

    /** {@link #offer(String, Object, long)} numbering items in the order this learner is given them. */
    default void offer(String id, I item) {
        offer(id, item, itemsSeen());
    }

    /**
     * The sequence number of the oldest item still owed training, or {@link Long#MAX_VALUE} when none is: a
     * restarted trainer must be given again every item from there on, since what it held is lost with it.
     */
    long oldestHeld();

    /** Whether the next {@link #stepIfFull()} would step. */
    boolean isFull();

    /** One step when full, else null. */
    StepResult stepIfFull();

    /** One step on whatever is held (stream idle), or null when there is nothing left to learn. */
    StepResult drainStep();

    ContrastiveTrainer trainer();

    /** Items offered so far. */
    long itemsSeen();

    /** Training uses given up because items arrived faster than the trainer could learn them. */
    long usesDropped();

    /** Training still owed to items already offered; 0 when all has been learned. */
    long pendingUses();

    /** The fixed pairs every snapshot is measured on; it fills from the first examples held. */
    ProbeSet probe();

    /** Goes on with a probe saved earlier (with the trainer's checkpoint) instead of filling a new one. */
    void restoreProbe(ProbeSet saved);

    /** Closes the trainer. */
    @Override
    void close();
}
