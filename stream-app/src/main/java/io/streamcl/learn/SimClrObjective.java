package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.state.SimClrState;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * SimCLR (Chen et al. 2020): both views through f_q; NT-Xent over the 2B views ({@link NtXentLoss}).
 *
 * <p>With {@link TrainerConfig.Published#MOMENTUM} it also keeps an average of f_q, {@code θ_a ← m·θ_a + (1 - m)·θ_q}
 * after every applied step ({@link AveragedEncoder}; Polyak averaging, as BYOL and DINO evaluate their EMA encoder),
 * and publishes that: its embeddings carry less of the last batches' noise. The average is its only state, and goes
 * into the checkpoint.
 */
final class SimClrObjective implements ContrastiveObjective {
    private static final AvroCodec<SimClrState> STATE = AvroCodec.of(SimClrState.class);

    private final NtXentLoss ntXent;
    private final EncoderSpec spec;
    private final NDManager manager;
    private final AveragedEncoder average; // null unless it publishes the average

    SimClrObjective(Setup setup) {
        TrainerConfig config = setup.config();
        ntXent = new NtXentLoss(config.temperature(), config.similarity());
        spec = setup.spec();
        manager = setup.manager();
        average = config.published() == TrainerConfig.Published.MOMENTUM
                ? new AveragedEncoder(spec, setup.query(), manager, config.momentum()) : null;
    }

    @Override
    public ContrastiveEncoder published(ContrastiveEncoder q) {
        return average == null ? q : average.caughtUp();
    }

    @Override
    public Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step) {
        return new Step() {
            @Override
            public Forward forward(UnaryOperator<NDArray> f, NDArray keyLogQ) {
                NDArray[] z = ContrastiveObjective.projectBoth(f, x1, x2); // (B, P) each
                return new Forward(ntXent.compute(z[0], z[1]), z[0], z[1]);
            }

            @Override
            public void beforeQueryMoves(RowTouches touches) {
                if (average != null) {
                    average.beforeQueryMoves(touches);
                }
            }

            @Override
            public void followQuery() {
                if (average != null) {
                    average.follow();
                }
            }
        };
    }

    @Override
    public byte[] saveState() {
        return average == null ? null : STATE.encodeLarge(
                new SimClrState(ByteBuffer.wrap(ContrastiveTrainer.saveParameters(average.caughtUp()))));
    }

    /**
     * A checkpoint taken with another {@code snapshot.encoder} still restores: without an average in it, the
     * average starts again from f_q; an average no longer published is dropped.
     */
    @Override
    public void restoreState(byte[] state) {
        if (average == null) {
            return;
        }
        if (state == null) {
            average.copyQuery();
            return;
        }
        SimClrState saved = STATE.decode(state);
        ContrastiveTrainer.copyInto(spec, manager, average.encoder(), AvroCodec.bytes(saved.getAveragedParameters()));
        average.restored();
    }
}
