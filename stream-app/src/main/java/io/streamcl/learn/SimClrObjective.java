package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** SimCLR (Chen et al. 2020): both views through f_q; NT-Xent over the 2B views ({@link NtXentLoss}). No state. */
final class SimClrObjective implements ContrastiveObjective {
    private final NtXentLoss ntXent;

    SimClrObjective(TrainerConfig config) {
        ntXent = new NtXentLoss(config.temperature(), config.similarity());
    }

    @Override
    public Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step) {
        return (query, keyLogQ) -> {
            NDArray[] z = ContrastiveObjective.projectBoth(query, x1, x2); // (B, P) each
            return new Forward(ntXent.compute(z[0], z[1]), z[0], z[1]);
        };
    }
}
