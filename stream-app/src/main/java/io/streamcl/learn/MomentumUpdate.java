package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;

/**
 * Parameter copy and exponential moving average between two blocks of the same architecture:
 * the momentum (key) encoder of MoCo (He et al., CVPR 2020), {@code θ_k ← m·θ_k + (1 - m)·θ_q}.
 *
 * <p>Both operations run in place on detached views of the parameters, so they never join an
 * autograd graph and work whether or not the parameters require gradients (an in-place op on a
 * parameter that requires a gradient is an error in PyTorch). Call them outside any
 * GradientCollector, after {@code trainer.step()}. Every temporary (views, scalars, products) is
 * created inside an {@link NDScope} and freed before returning, so the parameter managers do not
 * grow. Both blocks must be initialised and on the same device.
 */
public final class MomentumUpdate {

    private MomentumUpdate() {}

    /**
     * Sets every parameter of {@code to} to the value of the same parameter of {@code from}.
     *
     * @param from source block (e.g. the query encoder), initialised
     * @param to target block (e.g. the key encoder), initialised, same parameter names and shapes
     * @throws IllegalStateException if the parameter names or shapes differ
     */
    public static void copy(Block from, Block to) {
        PairList<String, Parameter> src = from.getParameters();
        PairList<String, Parameter> dst = to.getParameters();
        checkSameArchitecture(src, dst);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < src.size(); i++) {
                NDArray s = src.valueAt(i).getArray().stopGradient(); // view of the source
                NDArray d = dst.valueAt(i).getArray().stopGradient(); // view sharing the target's storage
                d.set(new NDIndex("..."), s); // native copy, in place
            }
        }
    }

    /**
     * Exponential moving average, in place: {@code key ← m·key + (1 - m)·query} per parameter.
     *
     * @param query the trained block, initialised
     * @param key the averaged block, same parameter names and shapes; updated in place
     * @param m momentum in [0, 1); m = 0 copies query into key (MoCo: 0.999)
     * @throws IllegalArgumentException if m is not in [0, 1)
     * @throws IllegalStateException if the parameter names or shapes differ
     */
    public static void ema(Block query, Block key, float m) {
        if (!(m >= 0f && m < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + m);
        }
        if (m == 0f) {
            copy(query, key); // exact, even if key held non-finite values
            return;
        }
        PairList<String, Parameter> qp = query.getParameters();
        PairList<String, Parameter> kp = key.getParameters();
        checkSameArchitecture(qp, kp);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            for (int i = 0; i < qp.size(); i++) {
                NDArray q = qp.valueAt(i).getArray().stopGradient(); // view
                NDArray k = kp.valueAt(i).getArray().stopGradient(); // view sharing the key's storage
                NDManager pm = k.getManager();
                k.muli(pm.create(m)).addi(q.mul(pm.create(1f - m)));
            }
        }
    }

    private static void checkSameArchitecture(PairList<String, Parameter> a, PairList<String, Parameter> b) {
        if (a.size() != b.size()) {
            throw new IllegalStateException(
                    "blocks differ: " + a.size() + " parameters " + a.keys() + " vs " + b.size() + " " + b.keys());
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.keyAt(i).equals(b.keyAt(i))) {
                throw new IllegalStateException(
                        "blocks differ at parameter " + i + ": " + a.keyAt(i) + " vs " + b.keyAt(i));
            }
            if (!a.valueAt(i).getArray().getShape().equals(b.valueAt(i).getArray().getShape())) {
                throw new IllegalStateException("blocks differ in the shape of " + a.keyAt(i) + ": "
                        + a.valueAt(i).getArray().getShape() + " vs " + b.valueAt(i).getArray().getShape());
            }
        }
    }
}
