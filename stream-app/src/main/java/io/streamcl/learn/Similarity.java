package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Pairwise similarity between two sets of embeddings, used to build contrastive logits.
 *
 * <p>All variants are differentiable and run natively. Scalars are created as NDArrays in the
 * manager of {@code a} (never plain Java numbers on autograd arrays: DJL turns those into a
 * temporary tensor that it frees before backward), and every intermediate, including those
 * derived from {@code b} alone, is attached to {@code a}'s manager, so a long-lived {@code b}
 * never collects temporaries. Both inputs must be on the same device.
 */
public enum Similarity {

    /** {@code cos(a_i, b_j) = a_i·b_j / (max(|a_i|, 1e-12) · max(|b_j|, 1e-12))}, in [-1, 1]. */
    COSINE("cosine"),

    /** {@code a_i·b_j}: the plain inner product. */
    DOT("dot"),

    /**
     * {@code -|a_i - b_j| = -sqrt(max(|a_i|² + |b_j|² - 2 a_i·b_j, 1e-12))}; the floor keeps the
     * value and the gradient finite for identical rows.
     */
    NEG_EUCLIDEAN("neg-euclidean");

    /** Floor of the normalisation (cosine) and of the squared distance (neg-euclidean). */
    static final float EPS = 1e-12f;

    private final String settingName;

    Similarity(String settingName) {
        this.settingName = settingName;
    }

    /** The name used in settings: {@code cosine}, {@code dot} or {@code neg-euclidean}. */
    public String settingName() {
        return settingName;
    }

    /**
     * Whether this similarity works on L2-normalised vectors, so embeddings and bank keys should
     * be stored normalised (true only for {@link #COSINE}).
     */
    public boolean normalizes() {
        return this == COSINE;
    }

    /**
     * Parses a setting value, case-insensitively.
     *
     * @param name {@code cosine}, {@code dot} or {@code neg-euclidean}
     * @throws IllegalArgumentException naming the valid choices otherwise
     */
    public static Similarity parse(String name) {
        if (name != null) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Similarity s : values()) {
                if (s.settingName.equals(wanted)) {
                    return s;
                }
            }
        }
        String choices =
                Arrays.stream(values()).map(Similarity::settingName).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "similarity must be one of [" + choices + "], got " + (name == null ? "null" : "'" + name + "'"));
    }

    /**
     * Similarity of every row of {@code a} with every row of {@code b}.
     *
     * @param a (N, D) float; the result and all intermediates live in its manager
     * @param b (M, D) float
     * @return (N, M) float, entry (i, j) = sim(a_i, b_j); gradients flow to both inputs
     * @throws IllegalArgumentException if the inputs are not 2-D with the same D
     */
    public NDArray matrix(NDArray a, NDArray b) {
        checkPair(a, b);
        NDManager m = a.getManager();
        switch (this) {
            case COSINE: {
                NDArray an = a.normalize(2, 1, EPS); // (N, D)
                NDArray bn = b == a ? an : own(b.normalize(2, 1, EPS), m); // (M, D)
                NDArray bnT = own(bn.transpose(), m); // (D, M)
                return an.matMul(bnT); // (N, M)
            }
            case DOT:
                return a.matMul(own(b.transpose(), m)); // (N, D) x (D, M) -> (N, M)
            case NEG_EUCLIDEAN: {
                long mRows = b.getShape().get(0);
                NDArray aa = a.square().sum(new int[] {1}, true); // (N, 1)
                NDArray bb = b == a ? aa : own(own(b.square(), m).sum(new int[] {1}, true), m); // (M, 1)
                NDArray bbT = own(bb.reshape(1, mRows), m); // (1, M)
                NDArray ab = a.matMul(own(b.transpose(), m)); // (N, M)
                NDArray d2 = aa.add(bbT).sub(ab.mul(m.create(2f))); // (N, M) squared distances
                return d2.maximum(m.create(EPS)).sqrt().neg(); // (N, M)
            }
            default:
                throw new AssertionError(this);
        }
    }

    static void checkPair(NDArray a, NDArray b) {
        if (a.getShape().dimension() != 2 || b.getShape().dimension() != 2) {
            throw new IllegalArgumentException(
                    "similarity inputs must be (N, D) and (M, D), got " + a.getShape() + " and " + b.getShape());
        }
        if (a.getShape().get(1) != b.getShape().get(1)) {
            throw new IllegalArgumentException(
                    "similarity inputs must have the same D, got " + a.getShape() + " and " + b.getShape());
        }
    }

    /** Moves a temporary into {@code m} (no-op if it is already there); autograd is unaffected. */
    private static NDArray own(NDArray x, NDManager m) {
        if (x.getManager() != m) {
            x.attach(m);
        }
        return x;
    }
}
