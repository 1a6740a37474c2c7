package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

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
 */
final class AdamOptimizer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final NDManager manager;
    private final Map<String, NDArray[]> moments = new HashMap<>(); // parameter id -> {m, v}
    private long updates;

    /** @param manager owns the moment arrays (the model's manager: they live as long as the trainer) */
    AdamOptimizer(float learningRate, NDManager manager) {
        this.learningRate = learningRate;
        this.manager = manager;
    }

    /** One update of every parameter that has a gradient; the gradients are zeroed. */
    void update(PairList<String, Parameter> parameters) {
        updates++;
        float corrected = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, updates))
                / (1 - Math.pow(BETA1, updates)));
        for (Pair<String, Parameter> p : parameters) {
            NDArray w = p.getValue().getArray();
            if (!w.hasGradient()) {
                continue;
            }
            try (NDArray g = w.getGradient()) {
                NDArray[] mv = moments.computeIfAbsent(p.getValue().getId(), id -> new NDArray[] {
                    manager.zeros(w.getShape(), w.getDataType()), manager.zeros(w.getShape(), w.getDataType())});
                w.getNDArrayInternal().adamUpdate(new NDList(w, g, mv[0], mv[1]), new NDList(w), learningRate,
                        corrected, 0f, 1f, -1f, BETA1, BETA2, EPSILON, true, false);
            }
        }
    }

    /** The update count and each parameter's m and v, keyed by parameter name (stable across processes). */
    void save(PairList<String, Parameter> parameters, DataOutputStream out) throws IOException {
        out.writeLong(updates);
        int n = 0;
        for (Pair<String, Parameter> p : parameters) {
            n += moments.containsKey(p.getValue().getId()) ? 1 : 0;
        }
        out.writeInt(n);
        for (Pair<String, Parameter> p : parameters) {
            NDArray[] mv = moments.get(p.getValue().getId());
            if (mv == null) {
                continue;
            }
            out.writeUTF(p.getKey());
            for (NDArray a : mv) {
                float[] values = a.toFloatArray();
                out.writeInt(values.length);
                for (float f : values) {
                    out.writeFloat(f);
                }
            }
        }
    }

    /** Restores what {@link #save} wrote, for the same encoder. */
    void restore(PairList<String, Parameter> parameters, DataInputStream in) throws IOException {
        updates = in.readLong();
        Map<String, Parameter> byName = new HashMap<>();
        parameters.forEach(p -> byName.put(p.getKey(), p.getValue()));
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            Parameter param = byName.get(name);
            if (param == null) {
                throw new IOException("optimizer state for unknown parameter " + name);
            }
            Shape shape = param.getArray().getShape();
            NDArray[] mv = new NDArray[2];
            for (int j = 0; j < 2; j++) {
                float[] values = new float[in.readInt()];
                if (values.length != shape.size()) {
                    throw new IOException("optimizer state for " + name + " has " + values.length + " values, the"
                            + " parameter " + shape.size());
                }
                for (int k = 0; k < values.length; k++) {
                    values[k] = in.readFloat();
                }
                mv[j] = manager.create(values, shape);
            }
            NDArray[] old = moments.put(param.getId(), mv);
            if (old != null) {
                old[0].close();
                old[1].close();
            }
        }
    }
}
