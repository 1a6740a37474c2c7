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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A bag of hashed features: looks up a learned vector for each feature id and averages them over
 * the last axis, ignoring id 0 (padding). Ids arrive as floats (exact below 2^24), as every encoder
 * input does.
 *
 * <p>Forward: (..., L) ids -> (..., dim). An all-padding bag gives zeros.
 *
 * <p>Two ways to the same mean, one per use. When training, the bags are one product of a sparse
 * (bags x rows) matrix, holding 1/count at each of a bag's ids, with the rows: its backward is one
 * tight pass over the ids that are there. The gather's backward (PyTorch's dense embedding backward)
 * pays a kernel call per id, padding included, and was the largest part of a sentence's training step
 * (BENCHMARKS.md, issue 14). Embedding keeps the gather, whose forward is the faster. The two agree to
 * float rounding (HashedBagTest).
 *
 * <p>The rows are the whole table, or, during a trainer's step ({@link RowTouches}), only the distinct rows
 * the batch read, copied into a leaf whose gradient the optimizer applies to the table: a step then costs
 * what the batch reads, not what the table holds.
 */
public final class HashedBag extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int vocabSize;
    private final int dim;
    private final Parameter table;
    private RowTouches recording; // null but during a trainer's step: see RowTouches

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
        RowTouches touches = weights.hasGradient() ? recording : null;
        return new NDList(training ? sparseMean(ids, weights, touches) : gatheredMean(ids, weights));
    }

    /**
     * The mean through a sparse (bags x columns) matrix. With touches, its columns are the distinct ids of
     * the batch, read into a leaf that the touches keep; without, they are the whole table's rows.
     */
    private NDArray sparseMean(NDArray ids, NDArray weights, RowTouches touches) {
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
        if (touches == null || nonZero == 0) { // nothing read: no touch, and the table's gradient stays zero
            return sparseMean(ids.getManager(), flat, bags, length, nonZero, null, weights, vocabSize, shape);
        }
        int[] column = new int[vocabSize]; // id -> 1 + its column among the distinct ids read; 0: not read
        long[] read = new long[Math.min(nonZero, vocabSize)];
        int distinct = 0;
        for (float f : flat) {
            int id = (int) f;
            if (id != 0 && column[id] == 0) {
                read[distinct] = id;
                column[id] = ++distinct;
            }
        }
        long[] readIds = Arrays.copyOf(read, distinct);
        NDManager step = ids.getManager();
        NDArray values = weights.stopGradient(); // the same storage, outside autograd
        values.attach(step);
        NDArray rows = rowsOf(values, step.create(readIds)); // (distinct, dim), a leaf of the step's graph
        rows.setRequiresGradient(true);
        touches.add(table.getId(), readIds, rows);
        return sparseMean(step, flat, bags, length, nonZero, column, rows, distinct, shape);
    }

    /** @param column null: a column per table row; else id -> 1 + its column */
    private NDArray sparseMean(NDManager manager, float[] flat, int bags, int length, int nonZero, int[] column,
            NDArray rows, int columns, Shape shape) {
        long[] coordinates = new long[2 * nonZero]; // the bag of each entry, then its column
        float[] values = new float[nonZero];
        int k = 0;
        for (int bag = 0; bag < bags; bag++) {
            int first = k;
            for (int i = bag * length; i < (bag + 1) * length; i++) {
                if (flat[i] != 0f) {
                    int id = (int) flat[i];
                    coordinates[k] = bag;
                    coordinates[nonZero + k++] = column == null ? id : column[id] - 1;
                }
            }
            Arrays.fill(values, first, k, 1f / (k - first));
        }
        NDArray weighting = sparse(manager, coordinates, values, new Shape(bags, columns));
        return weighting.matMul(rows).reshape(shape.slice(0, shape.dimension() - 1).add(dim));
    }

    /** Rows of a (V, dim) table by (N) int64 indices, as libtorch's index_select: (N, dim). */
    static NDArray rowsOf(NDArray table, NDArray indices) {
        return table.getNDArrayInternal().embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * A COO matrix that owns its memory. DJL's {@code createCoo} frees the arrays it builds it from, whose
     * memory the matrix still points at (a backward then read freed indices), so the matrix is built here
     * from copies that libtorch owns and counts references to.
     */
    static NDArray sparse(NDManager manager, long[] coordinates, float[] values, Shape shape) {
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
        bagsOf(block).forEach(bag -> ids.add(bag.table.getId()));
        return ids;
    }

    /** Every bag in the block, at any depth. */
    static List<HashedBag> bagsOf(Block block) {
        List<HashedBag> bags = new ArrayList<>();
        if (block instanceof HashedBag bag) {
            bags.add(bag);
        }
        block.getChildren().values().forEach(child -> bags.addAll(bagsOf(child)));
        return bags;
    }

    /** @param touches where training forwards record the rows they read from now on; null: nowhere */
    void recordInto(RowTouches touches) {
        this.recording = touches;
    }

    public int vocabSize() {
        return vocabSize;
    }
}
