package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.streamcl.schema.serde.LittleEndianFloats;
import io.streamcl.schema.state.AdamMoments;
import io.streamcl.schema.state.AdamState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma &amp; Ba 2015), the same update as DJL's {@code Adam} (its native kernel, no weight decay,
 * no clipping), but with its state in the open so that a trainer can checkpoint it and a restarted one
 * continue exactly where it stopped. For each parameter w with gradient g, at update t:
 *
 * <pre>
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * w ← w − lr·√(1 − β2^t)/(1 − β1^t) · m / (√v + ε)
 * </pre>
 *
 * DJL's own Adam keeps m and v private, which is why this class exists.
 *
 * <p>The lookup tables of {@link HashedBag}s (the ids given as row-wise) are updated row by row, only the rows a
 * step read ("lazy Adam"): a row nobody read keeps its weights, and its m and v do not decay.
 */
final class AdamOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final LearningRateSchedule schedule;
    private final NDManager manager;
    private final Map<String, NDArray[]> moments = new HashMap<>(); // parameter id -> {m, v}
    private final Set<String> rowSparse;
    private final float tableRateFactor;
    private long updates;

    /** @param manager owns the moment arrays (the model's manager: they live as long as the trainer) */
    AdamOptimizer(float learningRate, LearningRateSchedule schedule, NDManager manager) {
        this(learningRate, schedule, manager, Set.of());
    }

    /**
     * @param rowSparse ids of the lookup tables (see {@link HashedBag#tableIds}) updated row-wise: only the
     *     rows a step's gradient touches move, and only their moments decay (the "lazy Adam" of sparse
     *     embeddings). A batch touches a few thousand rows of a table of tens of thousands, so the update
     *     costs what the batch holds; finding those rows is one pass over the gradient.
     */
    AdamOptimizer(float learningRate, LearningRateSchedule schedule, NDManager manager, Set<String> rowSparse) {
        this(learningRate, schedule, manager, rowSparse, 1f);
    }

    /**
     * @param tableRateFactor the row-wise tables' rows move at this multiple of the learning rate (a row moves only
     *     in the steps that read it)
     */
    AdamOptimizer(float learningRate, LearningRateSchedule schedule, NDManager manager, Set<String> rowSparse,
            float tableRateFactor) {
        this.learningRate = learningRate;
        this.schedule = schedule;
        this.manager = manager;
        this.rowSparse = Set.copyOf(rowSparse);
        this.tableRateFactor = tableRateFactor;
    }

    /** One update of every parameter that has a gradient; the gradients are zeroed. */
    void update(PairList<String, Parameter> parameters) {
        update(parameters, null);
    }

    /**
     * One update of every parameter that has a gradient, the tables' rows by what {@code touches} recorded
     * (their own gradients are not read); the gradients are zeroed.
     *
     * @param touches the rows the step's forward read, or null: the tables' rows by their own gradients
     */
    void update(PairList<String, Parameter> parameters, RowTouches touches) {
        updates++;
        float rate = (float) (learningRate * schedule.factor(updates));
        float corrected = (float) (rate * Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates)));
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (!w.hasGradient()) {
                continue;
            }
            String id = p.getValue().getId();
            NDArray[] mv = moments.computeIfAbsent(id, i -> new NDArray[] {
                manager.zeros(w.getShape(), w.getDataType()), manager.zeros(w.getShape(), w.getDataType())});
            if (rowSparse.contains(id) && touches != null) {
                // the table's own gradient is not read: libtorch never filled it, and asking for it makes a
                // zero array of the table's size (34 MB at 131,072 x 64) at every step
                if (touches.tables().contains(id)) {
                    try (NDManager scratch = w.getManager().newSubManager()) {
                        RowTouches.Rows read = touches.rows(id, scratch);
                        updateRows(w, read.ids(), read.gradient(), mv, rate * tableRateFactor,
                                corrected * tableRateFactor, scratch);
                    }
                } // else no row was read, and none moves
                continue;
            }
            try (NDArray g = w.getGradient()) {
                if (rowSparse.contains(id)) {
                    updateRows(w, g, mv, rate * tableRateFactor, corrected * tableRateFactor);
                } else {
                    w.getNDArrayInternal().adamUpdate(new NDList(w, g, mv[0], mv[1]), new NDList(w), rate,
                            corrected, 0f, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
                }
            }
        }
    }

    /** Adam on the rows of a 2-D table whose gradient is not zero; those gradient rows are zeroed. */
    private static void updateRows(NDArray w, NDArray g, NDArray[] mv, float rate, float corrected) {
        try (NDManager scratch = w.getManager().newSubManager()) {
            NDArray size = g.abs();
            size.attach(scratch); // what is computed from an array joins its manager: all this goes with scratch
            NDArray touched = size.sum(new int[] {1}).gt(0).nonzero().reshape(-1);
            if (touched.isEmpty()) {
                return; // a batch of padding only: nothing moves, and the gradient is already zero
            }
            NDArray gradient = HashedBag.rowsOf(g, touched);
            gradient.attach(scratch);
            updateRows(w, touched, gradient, mv, rate, corrected, scratch);
            g.set(new NDIndex("{}", touched), 0f);
        }
    }

    /** Adam on the rows of a 2-D table at these (N) indices, given their (N, dim) gradient. */
    private static void updateRows(NDArray w, NDArray indices, NDArray gradient, NDArray[] mv, float rate,
            float corrected, NDManager scratch) {
        NDArray values = w.stopGradient(); // the same storage, outside autograd: a leaf may not be written in place
        values.attach(scratch);
        NDArray[] r = {HashedBag.rowsOf(values, indices), gradient, HashedBag.rowsOf(mv[0], indices),
            HashedBag.rowsOf(mv[1], indices)};
        for (NDArray a : r) {
            a.attach(scratch);
        }
        r[0].getNDArrayInternal().adamUpdate(new NDList(r), new NDList(r[0]), rate, corrected, 0f, 1f, -1f,
                BETA1, BETA2, EPSILON, true, false);
        NDIndex rows = new NDIndex("{}", indices);
        values.set(rows, r[0]);
        mv[0].set(rows, r[2]);
        mv[1].set(rows, r[3]);
    }

    /** The update count and each parameter's m and v, keyed by parameter name (stable across processes). */
    AdamState save(PairList<String, Parameter> parameters) {
        List<AdamMoments> saved = new ArrayList<>();
        for (Pair<String, Parameter> p : parameters) {
            NDArray[] mv = moments.get(p.getValue().getId());
            if (mv != null) {
                saved.add(new AdamMoments(p.getKey(), LittleEndianFloats.toBytes(mv[0].toFloatArray()),
                        LittleEndianFloats.toBytes(mv[1].toFloatArray())));
            }
        }
        return new AdamState(updates, saved);
    }

    /**
     * Replaces the state with what {@link #save} returned, for the same encoder: parameters it has no moments
     * of start from zero, as before their first update.
     *
     * @throws IllegalArgumentException if the state names a parameter the encoder lacks, or has another shape
     */
    void restore(PairList<String, Parameter> parameters, AdamState saved) {
        Map<String, Parameter> byName = new HashMap<>();
        parameters.forEach(p -> byName.put(p.getKey(), p.getValue()));
        Map<String, NDArray[]> restored = new HashMap<>();
        try {
            for (AdamMoments m : saved.getMoments()) {
                Parameter param = byName.get(m.getParameter());
                if (param == null) {
                    throw new IllegalArgumentException("optimizer state for unknown parameter " + m.getParameter());
                }
                Shape shape = param.getArray().getShape();
                NDArray[] mv = new NDArray[2];
                restored.put(param.getId(), mv);
                mv[0] = moment(m.getParameter(), LittleEndianFloats.fromBytes(m.getM()), shape);
                mv[1] = moment(m.getParameter(), LittleEndianFloats.fromBytes(m.getV()), shape);
            }
        } catch (RuntimeException e) {
            close(restored);
            throw e;
        }
        close(moments);
        moments.clear();
        moments.putAll(restored);
        updates = saved.getUpdates();
    }

    private NDArray moment(String name, float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("optimizer state for " + name + " has " + values.length
                    + " values, the parameter " + shape.size());
        }
        return manager.create(values, shape);
    }

    private static void close(Map<String, NDArray[]> moments) {
        for (NDArray[] mv : moments.values()) {
            for (NDArray a : mv) {
                if (a != null) {
                    a.close();
                }
            }
        }
    }
}
