package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Siamese (Hadsell et al. 2006): both views through f_q; the margin loss ({@link MarginContrastiveLoss}) on
 * the B positive pairs and B negative pairs, each item's first view with the next item's second view. No
 * state.
 */
final class SiameseObjective implements ContrastiveObjective {
    private final boolean normalize;
    private final MarginContrastiveLoss margin;

    SiameseObjective(TrainerConfig config) {
        normalize = config.similarity().normalizes();
        margin = new MarginContrastiveLoss(config.margin());
    }

    @Override
    public Step start(NDArray x1, NDArray x2, long[] itemIds, NDManager step) {
        int b = itemIds.length;
        return (query, keyLogQ) -> {
            NDArray[] z = ContrastiveObjective.projectBoth(query, x1, x2); // (B, P) each
            NDArray a = normalize ? z[0].normalize(2, 1, 1e-12) : z[0];
            NDArray c = normalize ? z[1].normalize(2, 1, 1e-12) : z[1];
            // (B, P): row i is item i + 1's second view
            NDArray shifted = NDArrays.concat(new NDList(c.get(new NDIndex("1:")), c.get(new NDIndex("0:1"))));
            NDArray labels = NDArrays.concat(new NDList(step.ones(new Shape(b)), step.zeros(new Shape(b)))); // (2B)
            NDArray loss = margin.compute(NDArrays.concat(new NDList(a, a)), NDArrays.concat(new NDList(c, shifted)),
                    labels);
            return new Forward(loss, z[0], z[1]);
        };
    }
}
