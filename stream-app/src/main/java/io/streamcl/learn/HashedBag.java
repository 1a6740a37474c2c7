package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.HashSet;
import java.util.Set;

/**
 * A bag of hashed features: looks up a learned vector for each feature id and averages them over
 * the last axis, ignoring id 0 (padding). Ids arrive as floats (exact below 2^24), as every encoder
 * input does.
 *
 * <p>Forward: (..., L) ids -> (..., dim). An all-padding bag gives zeros.
 */
public final class HashedBag extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int vocabSize;
    private final int dim;
    private final Parameter table;

    public HashedBag(int vocabSize, int dim) {
        super(VERSION);
        if (vocabSize < 2 || dim < 1) {
            throw new IllegalArgumentException("need vocabSize >= 2 and dim >= 1, got " + vocabSize + ", " + dim);
        }
        this.vocabSize = vocabSize;
        this.dim = dim;
        this.table = addParameter(Parameter.builder()
                .setName("table")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabSize, dim))
                .optInitializer(new NormalInitializer(0.1f))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow(); // (..., L)
        NDArray weights = ps.getValue(table, ids.getDevice(), training); // (V, dim)
        NDArray index = ids.toType(DataType.INT64, false);
        NDArray vectors = ids.getNDArrayInternal().embedding(index, weights, SparseFormat.DENSE)
                .singletonOrThrow(); // (..., L, dim)
        NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false).expandDims(-1); // (..., L, 1), no gradient
        NDArray count = mask.sum(new int[] {-2}).clip(1, Integer.MAX_VALUE); // (..., 1)
        return new NDList(vectors.mul(mask).sum(new int[] {-2}).div(count)); // (..., dim)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {in.slice(0, in.dimension() - 1).add(dim)};
    }

    /** The ids of the tables of every bag in the block, at any depth: they are updated row-wise. */
    public static Set<String> tableIds(Block block) {
        Set<String> ids = new HashSet<>();
        if (block instanceof HashedBag bag) {
            ids.add(bag.table.getId());
        }
        block.getChildren().values().forEach(child -> ids.addAll(tableIds(child)));
        return ids;
    }

    public int vocabSize() {
        return vocabSize;
    }
}
