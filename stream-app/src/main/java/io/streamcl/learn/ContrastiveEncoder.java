package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * An encoder as contrastive learning uses it: a backbone whose output h is the published embedding,
 * and a projection head g whose output z = g(h) only the loss sees (SimCLR, Chen et al. 2020: the
 * loss makes z invariant and discards information h keeps).
 *
 * <p>Forward: (B, ...) -> [h (B, embeddingDim), z (B, projectionDim)]. With an {@link EmbeddingStandardizer},
 * each training forward also folds h into its running statistics, and {@link #published} is what an embedder
 * publishes: h standardised by them. The loss never sees the standardised h, so training is the same with it.
 */
public final class ContrastiveEncoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Block backbone;
    private final Block head;
    private final EmbeddingStandardizer standardizer; // null: the published embedding is h itself

    public ContrastiveEncoder(Block backbone, Block head) {
        this(backbone, head, null);
    }

    /** @param standardizer null, or what standardises the published embedding */
    public ContrastiveEncoder(Block backbone, Block head, EmbeddingStandardizer standardizer) {
        super(VERSION);
        this.backbone = addChildBlock("backbone", backbone);
        this.head = addChildBlock("head", head);
        this.standardizer = standardizer == null ? null : addChildBlock("standardizer", standardizer);
    }

    /** Linear(hidden = embeddingDim) - ReLU - Linear(projectionDim), as in MoCo v2. */
    public static Block projectionHead(int embeddingDim, int projectionDim) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(embeddingDim).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(projectionDim).build());
    }

    public Block backbone() {
        return backbone;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList h = backbone.forward(ps, inputs, training, params);
        NDList z = head.forward(ps, h, training, params);
        if (training && standardizer != null) {
            standardizer.observe(h.singletonOrThrow());
        }
        return new NDList(h.singletonOrThrow(), z.singletonOrThrow());
    }

    /** The embedding as published, (B, ...) -> (B, embeddingDim) unit rows: h, standardised where it is. */
    public NDArray published(ParameterStore ps, NDArray x) {
        NDArray h = backbone.forward(ps, new NDList(x), false).singletonOrThrow();
        return standardizer == null ? h.normalize(2, 1, 1e-12)
                : standardizer.forward(ps, new NDList(h), false).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] h = backbone.getOutputShapes(inputShapes);
        return new Shape[] {h[0], head.getOutputShapes(h)[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
        if (standardizer != null) {
            standardizer.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
        }
    }
}
