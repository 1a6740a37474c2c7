package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.function.UnaryOperator;

/**
 * What one contrastive method computes on a step, and the state it keeps from step to step. The
 * {@link ContrastiveTrainer} owns the query encoder f_q, its optimizer, the divergence guard and the loop;
 * an objective is handed f_q and the two views of a batch, returns the loss, and keeps whatever else its
 * method needs (MoCo: a key encoder and a memory bank), checkpoint included.
 *
 * <p>A new method is an implementation of this interface and one constant of {@link TrainerConfig.Method}
 * naming its constructor.
 */
interface ContrastiveObjective extends AutoCloseable {

    /**
     * What an objective is made from.
     *
     * @param query   the trainer's f_q, initialised: the encoder the loss trains
     * @param manager the trainer's manager: state that lives as long as the trainer goes in it
     */
    record Setup(EncoderSpec spec, TrainerConfig config, ContrastiveEncoder query, NDManager manager) {}

    /** The encoder a snapshot carries ({@link TrainerConfig#published()}): f_q unless the objective keeps another. */
    default ContrastiveEncoder published(ContrastiveEncoder query) {
        return query;
    }

    /** Whether the loss takes the logQ correction of its in-batch negatives ({@link InfoNceLoss}). */
    default boolean correctsLogQ() {
        return false;
    }

    /**
     * Starts a step. Runs before the gradient collector opens, so that what needs no gradient (MoCo's keys)
     * is not computed under the lock that serialises every trainer's backward pass.
     *
     * @param x1      (B, input...) first views
     * @param x2      (B, input...) second views of the same items, same order
     * @param itemIds (B) ids of the items
     * @param step    the step's manager, closed at its end
     */
    Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step);

    /** One step of an objective, from {@link #start} to the end of the trainer's update. */
    interface Step {
        /**
         * The loss, computed with the gradient collector open.
         *
         * @param query   f_q in training mode: (N, input...) to its (N, P) projections
         * @param keyLogQ (B) log q of the item of each positive, or null (only when {@link #correctsLogQ()})
         */
        Forward forward(UnaryOperator<NDArray> query, NDArray keyLogQ);

        /** Just before an update moves f_q (its tables by the rows {@code touches} recorded). */
        default void beforeQueryMoves(RowTouches touches) {}

        /** After an applied update (never a discarded one): what follows f_q (MoCo's key encoder, by EMA). */
        default void followQuery() {}

        /** After {@link #followQuery()}: what the objective keeps of the batch (MoCo's keys, into its bank). */
        default void remember() {}
    }

    /**
     * A step's forward pass.
     *
     * @param loss      scalar, the mean over the batch; backward starts here
     * @param anchors   (B, P) the projections of the first views
     * @param positives (B, P) their positives, row for row: what the trainer's positive top-1 compares
     */
    record Forward(NDArray loss, NDArray anchors, NDArray positives) {}

    /**
     * The objective's part of a trainer checkpoint: its own Avro record, single-object encoded (so it carries
     * its version); null when it keeps nothing beyond f_q.
     */
    default byte[] saveState() {
        return null;
    }

    /**
     * Puts the objective back as {@link #saveState()} found it.
     *
     * @param state what saveState returned, null included
     * @throws IllegalArgumentException if the state is not one this objective saves, or does not fit it
     */
    default void restoreState(byte[] state) {
        if (state != null) {
            throw new IllegalArgumentException("this objective keeps no state, yet the checkpoint has some");
        }
    }

    @Override
    default void close() {}

    /**
     * Both views through f_q, as methods without a key encoder take them: one forward pass over the 2B views.
     *
     * @return the (B, P) projections of x1 and of x2
     */
    static NDArray[] projectBoth(UnaryOperator<NDArray> query, NDArray x1, NDArray x2) {
        long b = x1.getShape().get(0);
        NDArray z = query.apply(NDArrays.concat(new NDList(x1, x2))); // (2B, P)
        return new NDArray[] {z.get(new NDIndex("0:{}", b)), z.get(new NDIndex("{}:", b))};
    }
}
