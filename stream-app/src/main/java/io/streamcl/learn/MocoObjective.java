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
 * Symmetric (MoCo v3, Chen et al. 2021), also q = f_q(view2) against f_k(view1), the two losses averaged: each
 * step learns from both directions of its pairs, for twice the forward and backward. The bank takes the keys of
 * the second views only, one per item. Its state, checkpointed as a {@link MocoState}: f_k and the bank.
 */
final class MocoObjective implements ContrastiveObjective {
    private static final AvroCodec<MocoState> STATE = AvroCodec.of(MocoState.class);

    private final EncoderSpec spec;
    private final ContrastiveEncoder query;
    private final NDManager manager;
    private final boolean normalizeKeys;
    private final float momentum;
    private final boolean symmetric;
    private final ContrastiveEncoder key;
    private final boolean publishesKey;
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
        symmetric = config.symmetric();
        publishesKey = config.published() == TrainerConfig.Published.MOMENTUM;
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
    public ContrastiveEncoder published(ContrastiveEncoder q) {
        return publishesKey ? key : q;
    }

    @Override
    public boolean correctsLogQ() {
        return true;
    }

    @Override
    public Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step) {
        // (B, P): no gradient collector is open and f_k is frozen, so no graph is recorded
        NDArray keys = keys(x2);
        NDArray firstKeys = symmetric ? keys(x1) : null;
        return new Step() {
            @Override
            public Forward forward(UnaryOperator<NDArray> f, NDArray keyLogQ) {
                NDArray bankKeys = bank.size() == 0 ? null : bank.keys(step); // (K, P)
                NDArray self = bank.size() == 0 ? null : bank.isSelf(itemIds, step); // (B, K)
                if (!symmetric) {
                    NDArray q = f.apply(x1); // (B, P)
                    return new Forward(infoNce.compute(q, keys, bankKeys, self, keyLogQ), q, keys);
                }
                // both views through f_q in one pass: (2B, P), then q1 against k2 and q2 against k1
                NDList q = f.apply(x1.concat(x2)).split(2);
                NDArray loss = infoNce.compute(q.get(0), keys, bankKeys, self, keyLogQ)
                        .add(infoNce.compute(q.get(1), firstKeys, bankKeys, self, keyLogQ)).div(2);
                return new Forward(loss, q.get(0), keys);
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

    /** (B, P) keys of views, from f_k: no gradient collector is open and f_k is frozen, so no graph is recorded. */
    private NDArray keys(NDArray views) {
        NDArray k = key.forward(keyStore, new NDList(views), false).get(1);
        return normalizeKeys ? k.normalize(2, 1, 1e-12) : k;
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
