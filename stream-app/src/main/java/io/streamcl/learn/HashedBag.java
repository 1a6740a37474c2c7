package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A bag of hashed features: looks up a learned vector for each feature id and averages them over
 * the last axis, ignoring id 0 (padding). Ids arrive as floats (exact below 2^24), as every encoder
 * input does.
 *
 * <p>Forward: (..., L) ids -> (..., dim). An all-padding bag gives zeros.
 *
 * <p>Two ways to the same mean, one per use. When training, the bags are one product of a sparse
 * (bags x vocab) matrix, holding 1/count at each of a bag's ids, with the table: its backward is one
 * tight pass over the ids that are there. The gather's backward (PyTorch's dense embedding backward)
 * pays a kernel call per id, padding included, and was the largest part of a sentence's training step
 * (BENCHMARKS.md, issue 14). Embedding keeps the gather, whose forward is the faster. The two agree to
 * float rounding (HashedBagTest).
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
        return new NDList(training ? sparseMean(ids, weights) : gatheredMean(ids, weights));
    }

    private NDArray sparseMean(NDArray ids, NDArray weights) {
        Shape shape = ids.getShape();
        int length = (int) shape.get(shape.dimension() - 1);
        int bags = (int) (shape.size() / length);
        float[] flat = ids.toFloatArray();
        int nonZero = 0;
        for (float id : flat) {
            if (id != 0f) {
                nonZero++;
            }
        }
        long[] coordinates = new long[2 * nonZero]; // the bag of each entry, then its id
        float[] values = new float[nonZero];
        int k = 0;
        for (int bag = 0; bag < bags; bag++) {
            int first = k;
            for (int i = bag * length; i < (bag + 1) * length; i++) {
                if (flat[i] != 0f) {
                    coordinates[k] = bag;
                    coordinates[nonZero + k++] = (long) flat[i];
                }
            }
            Arrays.fill(values, first, k, 1f / (k - first));
        }
        NDArray weighting = sparse(ids.getManager(), coordinates, values, new Shape(bags, vocabSize));
        return weighting.matMul(weights).reshape(shape.slice(0, shape.dimension() - 1).add(dim));
    }

    /**
     * A COO matrix that owns its memory. DJL's {@code createCoo} frees the arrays it builds it from, whose
     * memory the matrix still points at (a backward then read freed indices), so the matrix is built here
     * from copies that libtorch owns and counts references to.
     */
    private static NDArray sparse(NDManager manager, long[] coordinates, float[] values, Shape shape) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray at = scratch.create(coordinates, new Shape(2, values.length)).duplicate();
            NDArray of = scratch.create(values).duplicate();
            NDArray matrix = JniUtils.createSparseCoo((PtNDArray) at, (PtNDArray) of, shape);
            matrix.attach(manager);
            return matrix;
        }
    }

    private static NDArray gatheredMean(NDArray ids, NDArray weights) {
        NDArray index = ids.toType(DataType.INT64, false);
        NDArray vectors = ids.getNDArrayInternal().embedding(index, weights, SparseFormat.DENSE)
                .singletonOrThrow(); // (..., L, dim)
        NDArray mask = ids.gt(0).toType(DataType.FLOAT32, false).expandDims(-1); // (..., L, 1), no gradient
        NDArray count = mask.sum(new int[] {-2}).clip(1, Integer.MAX_VALUE); // (..., 1)
        return vectors.mul(mask).sum(new int[] {-2}).div(count); // (..., dim)
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
