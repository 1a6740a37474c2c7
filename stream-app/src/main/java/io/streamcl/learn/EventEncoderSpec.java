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
import java.util.Map;

/**
 * User events: one encoder for items and users. Its input is a sequence of up to {@code slots} items,
 * each a bag of {@code featuresPerItem} hashed ids (the item id, then its attributes; 0 = padding, a
 * slot of zeros is empty). The item tower (a learned vector per hashed id, averaged, then Linear-ReLU)
 * runs on every slot; the user tower is the mean of the item tower over the non-empty slots; a linear
 * layer maps that to the embedding. So an item's embedding is the encoder on a one-slot sequence and a
 * user's is the encoder on their recent items, in the same space: next-item retrieval is a cosine.
 *
 * <p>Input: (B, slots * featuresPerItem) ids as floats. Backbone output: (B, embeddingDim).
 */
public record EventEncoderSpec(int vocabSize, int slots, int featuresPerItem, int tokenDim, int embeddingDim,
        int projectionDim) implements EncoderSpec {
    public static final String TYPE = "event-item-sequence";

    public EventEncoderSpec {
        if (vocabSize < 16 || slots < 1 || featuresPerItem < 1 || tokenDim < 1 || embeddingDim < 1
                || projectionDim < 1) {
            throw new IllegalArgumentException("bad event encoder: vocab=" + vocabSize + " slots=" + slots
                    + " featuresPerItem=" + featuresPerItem + " tokenDim=" + tokenDim + " embeddingDim="
                    + embeddingDim + " projectionDim=" + projectionDim);
        }
    }

    public static EventEncoderSpec fromConfig(Map<String, String> c) {
        return EncoderConfigs.parse(EventEncoderSpec.class, TYPE, c);
    }

    @Override
    public Map<String, String> config() {
        return EncoderConfigs.of(TYPE, this);
    }

    @Override
    public int inputSize() {
        return slots * featuresPerItem;
    }

    @Override
    public Shape inputShape(int batch) {
        return new Shape(batch, (long) slots * featuresPerItem);
    }

    @Override
    public Block newBackbone() {
        Block itemTower = new SequentialBlock()
                .add(new HashedBag(vocabSize, tokenDim)) // (B, S, F) -> (B, S, tokenDim)
                .add(Linear.builder().setUnits(Math.max(tokenDim, embeddingDim)).build()) // (B, S, H)
                .add(Activation.reluBlock());
        return new SequentialBlock()
                .add(new SlotMean(slots, featuresPerItem, itemTower)) // (B, S*F) -> (B, H)
                .add(Linear.builder().setUnits(embeddingDim).build()); // (B, embeddingDim)
    }

    /**
     * Runs a block on each slot and averages its outputs over the non-empty slots:
     * (B, S*F) -> (B, S, F) -> block -> (B, S, H) -> masked mean -> (B, H). All slots empty gives zeros.
     */
    static final class SlotMean extends AbstractBlock {
        private static final byte VERSION = 1;

        private final int slots;
        private final int features;
        private final Block perSlot;

        SlotMean(int slots, int features, Block perSlot) {
            super(VERSION);
            this.slots = slots;
            this.features = features;
            this.perSlot = addChildBlock("slot", perSlot);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow(); // (B, S*F)
            NDArray ids = x.reshape(x.getShape().get(0), slots, features); // (B, S, F)
            NDArray h = perSlot.forward(ps, new NDList(ids), training, params).singletonOrThrow(); // (B, S, H)
            NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false).sum(new int[] {2}).gt(0)
                    .toType(DataType.FLOAT32, false).expandDims(-1); // (B, S, 1), no gradient
            NDArray count = mask.sum(new int[] {1}).clip(1, Integer.MAX_VALUE); // (B, 1)
            return new NDList(h.mul(mask).sum(new int[] {1}).div(count)); // (B, H)
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape slotShape = new Shape(inputShapes[0].get(0), slots, features);
            Shape h = perSlot.getOutputShapes(new Shape[] {slotShape})[0]; // (B, S, H)
            return new Shape[] {new Shape(inputShapes[0].get(0), h.get(2))};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            perSlot.initialize(manager, dataType, new Shape(inputShapes[0].get(0), slots, features));
        }
    }
}
