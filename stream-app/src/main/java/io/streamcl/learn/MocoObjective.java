package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.state.MocoState;
import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;

/**
 * MoCo (He et al., CVPR 2020): InfoNCE of q = f_q(view1) against k = f_k(view2), the other keys of the
 * batch and a FIFO bank of earlier keys ({@link MemoryBank}), never an item's own key. The key encoder
 * f_k gets no gradient: it follows f_q as an EMA, {@code k = m k + (1 - m) q} ({@link MomentumUpdate}).
 * Its state, checkpointed as a {@link MocoState}: f_k and the bank.
 */
final class MocoObjective implements ContrastiveObjective {
    private static final AvroCodec<MocoState> STATE = AvroCodec.of(MocoState.class);

    private final EncoderSpec spec;
    private final ContrastiveEncoder query;
    private final NDManager manager;
    private final boolean normalizeKeys;
    private final float momentum;
    private final ContrastiveEncoder key;
    private final ParameterStore keyStore;
    private final MemoryBank bank;
    private final InfoNceLoss infoNce;

    MocoObjective(Setup setup) {
        spec = setup.spec();
        query = setup.query();
        manager = setup.manager();
        TrainerConfig config = setup.config();
        normalizeKeys = config.similarity().normalizes();
        momentum = config.momentum();
        key = spec.newEncoder();
        // its draws are overwritten below, but must not land in another's
        synchronized (ContrastiveTrainer.RANDOM_LOCK) {
            key.initialize(manager, DataType.FLOAT32, spec.inputShape(2));
        }
        key.freezeParameters(true);
        MomentumUpdate.copy(query, key);
        keyStore = new ParameterStore(manager, false);
        bank = new MemoryBank(manager, config.bankSize(), spec.projectionDim());
        infoNce = new InfoNceLoss(config.temperature(), config.similarity());
    }

    @Override
    public boolean correctsLogQ() {
        return true;
    }

    @Override
    public Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step) {
        // (B, P): no gradient collector is open and f_k is frozen, so no graph is recorded
        NDArray k = key.forward(keyStore, new NDList(x2), false).get(1);
        NDArray keys = normalizeKeys ? k.normalize(2, 1, 1e-12) : k;
        return new Step() {
            @Override
            public Forward forward(UnaryOperator<NDArray> f, NDArray keyLogQ) {
                NDArray q = f.apply(x1); // (B, P)
                NDArray bankKeys = bank.size() == 0 ? null : bank.keys(step); // (K, P)
                NDArray self = bank.size() == 0 ? null : bank.isSelf(itemIds, step); // (B, K)
                return new Forward(infoNce.compute(q, keys, bankKeys, self, keyLogQ), q, keys);
            }

            @Override
            public void followQuery() {
                MomentumUpdate.ema(query, key, momentum);
            }

            @Override
            public void remember() {
                bank.enqueue(keys, itemIds);
            }
        };
    }

    @Override
    public byte[] saveState() {
        return STATE.encode(new MocoState(ByteBuffer.wrap(ContrastiveTrainer.saveParameters(key)), bank.save()));
    }

    @Override
    public void restoreState(byte[] state) {
        if (state == null) {
            throw new IllegalArgumentException("a moco checkpoint without its key encoder and bank");
        }
        MocoState saved = STATE.decode(state);
        ContrastiveTrainer.copyInto(spec, manager, key, AvroCodec.bytes(saved.getKeyParameters()));
        bank.restore(saved.getBank());
    }

    @Override
    public void close() {
        bank.close();
    }
}
