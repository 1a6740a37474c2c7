package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.initializer.ConstantInitializer;
import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.state.SimClrState;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * SimCLR (Chen et al. 2020): both views through f_q; NT-Xent over the 2B views ({@link NtXentLoss}).
 *
 * <p>With {@link TrainerConfig.Published#MOMENTUM} it also keeps an average of f_q, {@code θ_a ← m·θ_a + (1 - m)·θ_q}
 * after every applied step (Polyak averaging, as BYOL and DINO evaluate their EMA encoder), and publishes that: its
 * embeddings carry less of the last batches' noise. The average is its only state, and goes into the checkpoint.
 */
final class SimClrObjective implements ContrastiveObjective {
    private static final AvroCodec<SimClrState> STATE = AvroCodec.of(SimClrState.class);

    private final NtXentLoss ntXent;
    private final EncoderSpec spec;
    private final NDManager manager;
    private final ContrastiveEncoder query;
    private final float momentum;
    private final ContrastiveEncoder averaged; // null unless it publishes the average

    SimClrObjective(Setup setup) {
        TrainerConfig config = setup.config();
        ntXent = new NtXentLoss(config.temperature(), config.similarity());
        spec = setup.spec();
        manager = setup.manager();
        query = setup.query();
        momentum = config.momentum();
        if (config.published() == TrainerConfig.Published.MOMENTUM) {
            averaged = spec.newEncoder();
            // zeros, overwritten by the copy below: random ones would draw from the engine's one generator, and
            // change every dropout mask f_q is trained with after it
            averaged.setInitializer(new ConstantInitializer(0f), p -> true);
            averaged.initialize(manager, DataType.FLOAT32, spec.inputShape(2));
            averaged.freezeParameters(true);
            MomentumUpdate.copy(query, averaged);
        } else {
            averaged = null;
        }
    }

    @Override
    public ContrastiveEncoder published(ContrastiveEncoder q) {
        return averaged == null ? q : averaged;
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
            public void followQuery() {
                if (averaged != null) {
                    MomentumUpdate.ema(query, averaged, momentum);
                }
            }
        };
    }

    @Override
    public byte[] saveState() {
        return averaged == null ? null
                : STATE.encode(new SimClrState(ByteBuffer.wrap(ContrastiveTrainer.saveParameters(averaged))));
    }

    /**
     * A checkpoint taken with another {@code snapshot.encoder} still restores: without an average in it, the
     * average starts again from f_q; an average no longer published is dropped.
     */
    @Override
    public void restoreState(byte[] state) {
        if (averaged == null) {
            return;
        }
        if (state == null) {
            MomentumUpdate.copy(query, averaged);
            return;
        }
        SimClrState saved = STATE.decode(state);
        ContrastiveTrainer.copyInto(spec, manager, averaged, AvroCodec.bytes(saved.getAveragedParameters()));
    }
}
