package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An exponential moving average of an encoder, {@code θ_a ← m·θ_a + (1 − m)·θ_q} after every applied step, kept
 * lazily for the rows of its lookup tables.
 *
 * <p>A step moves only the rows of a table that its batch read (row-wise Adam), so a row's f_q stays constant
 * between the steps that read it, and n steps of the average over a constant row are one: {@code θ_a ← θ_q +
 * m^n·(θ_a − θ_q)}. Each row remembers how many steps its average has followed; just before a step moves some rows
 * ({@link #beforeQueryMoves}) those are brought up to date with their old values, and the whole table only when the
 * average is read ({@link #caughtUp}). The result is the per-step average, to rounding, at the cost of the rows a
 * batch reads rather than the whole table every step: for a 131,072 x 64 table, every step's average cost the bare
 * sentence loop nearly half its speed (BENCHMARKS.md, Sentences, 2026-12-07, night). Other parameters follow every step.
 */
final class AveragedEncoder {
    private final ContrastiveEncoder query;
    private final ContrastiveEncoder averaged;
    private final float momentum;
    private final PairList<String, Parameter> queryParameters;
    private final PairList<String, Parameter> averagedParameters;
    /** Per table (by f_q's parameter id): for each row, the count of steps its average has followed. */
    private final Map<String, long[]> followed = new HashMap<>();
    private final NDManager manager;
    private final float[] powers = new float[1024];
    private long steps;
    private boolean tablesBehind;

    /** A copy of f_q to average it into, on f_q's manager; it draws nothing from the engine's generator. */
    AveragedEncoder(EncoderSpec spec, ContrastiveEncoder query, NDManager manager, float momentum) {
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.query = query;
        this.manager = manager;
        this.momentum = momentum;
        for (int n = 0; n < powers.length; n++) {
            powers[n] = (float) Math.pow(momentum, n);
        }
        averaged = spec.newEncoder();
        // zeros, overwritten by the copy below: random ones would draw from the engine's one generator, and change
        // every dropout mask f_q is trained with after it
        averaged.setInitializer(new ConstantInitializer(0f), p -> true);
        averaged.initialize(manager, DataType.FLOAT32, spec.inputShape(2));
        averaged.freezeParameters(true);
        queryParameters = query.getParameters();
        averagedParameters = averaged.getParameters();
        Set<String> tables = HashedBag.tableIds(query);
        for (int i = 0; i < queryParameters.size(); i++) {
            Parameter p = queryParameters.valueAt(i);
            if (tables.contains(p.getId())) {
                followed.put(p.getId(), new long[Math.toIntExact(p.getArray().getShape().get(0))]);
            }
        }
        copyQuery();
    }

    /** The average starts again from f_q as it is now. */
    void copyQuery() {
        MomentumUpdate.copy(query, averaged);
        followed.values().forEach(rows -> Arrays.fill(rows, steps));
        tablesBehind = false;
    }

    /**
     * Just before an update moves the rows {@code touches} recorded: those rows' averages follow their old
     * values up to now, so that from here on each row's f_q is constant since the step its average followed.
     */
    void beforeQueryMoves(RowTouches touches) {
        for (int i = 0; i < queryParameters.size(); i++) {
            String id = queryParameters.valueAt(i).getId();
            long[] rows = followed.get(id);
            if (rows == null || !touches.tables().contains(id)) {
                continue;
            }
            List<long[]> read = touches.idsRead(id);
            int total = read.stream().mapToInt(ids -> ids.length).sum();
            long[] behind = new long[total];
            float[] lag = new float[total];
            int n = 0;
            for (long[] ids : read) {
                for (long row : ids) {
                    long lastFollowed = rows[(int) row];
                    if (lastFollowed != steps) { // once per row: a row read twice is up to date the second time
                        behind[n] = row;
                        lag[n++] = power(steps - lastFollowed);
                        rows[(int) row] = steps;
                    }
                }
            }
            if (n == 0) {
                continue;
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray indices = scratch.create(Arrays.copyOf(behind, n));
                NDArray q = queryParameters.valueAt(i).getArray().stopGradient();
                NDArray a = averagedParameters.valueAt(i).getArray().stopGradient();
                q.attach(scratch); // views of the same storage; what is computed from them joins scratch
                a.attach(scratch);
                NDArray qRows = HashedBag.rowsOf(q, indices);
                NDArray aRows = HashedBag.rowsOf(a, indices);
                aRows.subi(qRows).muli(scratch.create(Arrays.copyOf(lag, n), new Shape(n, 1))).addi(qRows);
                a.set(new NDIndex("{}", indices), aRows);
            }
        }
    }

    /** After an applied update: the parameters other than the tables' follow f_q; the tables are one step behind. */
    void follow() {
        steps++;
        tablesBehind = !followed.isEmpty();
        try (NDManager scratch = manager.newSubManager()) {
            NDArray m = scratch.create(momentum);
            for (int i = 0; i < queryParameters.size(); i++) {
                if (followed.containsKey(queryParameters.valueAt(i).getId())) {
                    continue;
                }
                NDArray q = queryParameters.valueAt(i).getArray().stopGradient();
                NDArray a = averagedParameters.valueAt(i).getArray().stopGradient();
                q.attach(scratch);
                a.attach(scratch);
                // θ_a ← m·(θ_a − θ_q) + θ_q: in place, with no temporary of the parameter's size
                a.subi(q).muli(m).addi(q);
            }
        }
    }

    /** The average, every row of its tables brought up to the last step: what is published and saved. */
    ContrastiveEncoder caughtUp() {
        if (!tablesBehind) {
            return averaged;
        }
        for (int i = 0; i < queryParameters.size(); i++) {
            long[] rows = followed.get(queryParameters.valueAt(i).getId());
            if (rows == null) {
                continue;
            }
            float[] lag = new float[rows.length];
            for (int row = 0; row < rows.length; row++) {
                lag[row] = power(steps - rows[row]);
            }
            Arrays.fill(rows, steps);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray q = queryParameters.valueAt(i).getArray().stopGradient();
                NDArray a = averagedParameters.valueAt(i).getArray().stopGradient();
                q.attach(scratch);
                a.attach(scratch);
                a.subi(q).muli(scratch.create(lag, new Shape(rows.length, 1))).addi(q);
            }
        }
        tablesBehind = false;
        return averaged;
    }

    /** m^n, from a table for the lags a row most often has. */
    private float power(long n) {
        return n < powers.length ? powers[(int) n] : (float) Math.pow(momentum, n);
    }

    /** The encoder the average lives in, as it is (its tables may be behind: see {@link #caughtUp}). */
    ContrastiveEncoder encoder() {
        return averaged;
    }

    /** After the average's parameters were set from a saved, caught-up one: every row has followed up to now. */
    void restored() {
        followed.values().forEach(rows -> Arrays.fill(rows, steps));
        tablesBehind = false;
    }
}
