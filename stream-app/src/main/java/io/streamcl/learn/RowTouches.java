package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of lookup tables that one training step read, each with the gradient it got: what a step of a
 * large table costs once the cost no longer grows with the table.
 *
 * <p>While a step records into one ({@link #startOn}), each {@link HashedBag} of the encoder copies the rows its
 * training forward reads into a small leaf array and trains through that, not through the whole table.
 * Differentiating the table itself gives a dense (vocab x dim) gradient: the backward fills it, the finite
 * check reads it and the row-wise Adam searched it for the rows that moved, several passes over every row of
 * the table a step while a batch reads a few thousand of them (BENCHMARKS.md, issue 14). With touches, the
 * table's own gradient stays zero and {@link AdamOptimizer#update(PairList, RowTouches)} moves the rows read.
 *
 * <p>The bags hold it for the step because a forward's params do not reach them (DJL's SequentialBlock
 * drops them). One per step, used by the one thread that trains the encoder; its arrays belong to the step.
 */
final class RowTouches {
    /** Rows of one table read by one forward: their ids and the (rows, dim) leaf they were read into. */
    private record Touch(long[] ids, NDArray rows) {}

    /** The distinct rows read from a table in a step, (U) int64 ids, and the sum of their gradients, (U, dim). */
    record Rows(NDArray ids, NDArray gradient) {}

    private final Map<String, List<Touch>> byTable = new LinkedHashMap<>();
    private final List<HashedBag> bags;

    private RowTouches(List<HashedBag> bags) {
        this.bags = bags;
    }

    /** Touches that every bag of the block records into until {@link #stop()}. */
    static RowTouches startOn(Block block) {
        RowTouches touches = new RowTouches(HashedBag.bagsOf(block));
        touches.bags.forEach(b -> b.recordInto(touches));
        return touches;
    }

    /** The bags go back to training through their whole tables. */
    void stop() {
        bags.forEach(b -> b.recordInto(null));
    }

    /** Records that a forward read these distinct rows of a table into {@code rows}, a leaf that takes a gradient. */
    void add(String tableId, long[] ids, NDArray rows) {
        byTable.computeIfAbsent(tableId, t -> new ArrayList<>()).add(new Touch(ids, rows));
    }

    Set<String> tables() {
        return byTable.keySet();
    }

    /** The ids of the rows each forward read from a table: distinct within one, repeated across them. */
    List<long[]> idsRead(String tableId) {
        return byTable.getOrDefault(tableId, List.of()).stream().map(Touch::ids).toList();
    }

    /**
     * The rows read from a table and their gradients, summed where several forwards read the same row.
     *
     * @param scratch owns what is computed here
     */
    Rows rows(String tableId, NDManager scratch) {
        List<Touch> touches = byTable.get(tableId);
        if (touches.size() == 1) {
            Touch t = touches.get(0);
            return new Rows(scratch.create(t.ids()), t.rows().getGradient());
        }
        // distinct ids over every touch, then one sparse (distinct x all) matrix of ones sums the repeats
        Map<Long, Integer> column = new LinkedHashMap<>();
        int total = 0;
        for (Touch t : touches) {
            total += t.ids().length;
            for (long id : t.ids()) {
                column.putIfAbsent(id, column.size());
            }
        }
        long[] coordinates = new long[2 * total];
        int k = 0;
        NDList gradients = new NDList();
        for (Touch t : touches) {
            for (long id : t.ids()) {
                coordinates[k] = column.get(id);
                coordinates[total + k] = k;
                k++;
            }
            gradients.add(t.rows().getGradient());
        }
        float[] ones = new float[total];
        java.util.Arrays.fill(ones, 1f);
        NDArray sum = HashedBag.sparse(scratch, coordinates, ones, new Shape(column.size(), total))
                .matMul(NDArrays.concat(gradients));
        long[] ids = column.keySet().stream().mapToLong(Long::longValue).toArray();
        return new Rows(scratch.create(ids), sum);
    }

    /** Whether every gradient recorded here sums to a finite number. */
    boolean finiteGradients() {
        double sum = 0;
        for (List<Touch> touches : byTable.values()) {
            for (Touch t : touches) {
                try (NDArray s = t.rows().getGradient().sum()) {
                    sum += s.getFloat();
                }
            }
        }
        return Double.isFinite(sum);
    }
}
