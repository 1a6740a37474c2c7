package io.streamcl.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Centres the unit-length embedding u = h/|h| by the stream's running mean μ and decorrelates it by the running
 * covariance C, then scales it back to unit length: e = s/|s|. Whitening a representation this way is a known
 * lift for cosine retrieval (Su et al. 2021, for sentence embeddings): the few directions every item varies most
 * along stop deciding alone who is near whom.
 *
 * <ul>
 *   <li>{@link Mode#STANDARDIZE}: s = (u - μ) / sqrt(diag C), each dimension on its own.
 *   <li>{@link Mode#WHITEN}: s = (u - μ) W with W = C_α^(-1/2) = V (Λ + α·mean(Λ))^(-1/2) Vᵀ (ZCA whitening, shrunk
 *       toward the identity by α so that the directions of least variance, where augmented views of one item
 *       differ most, are not blown up: α = {@value #SHRINKAGE}).
 * </ul>
 *
 * <p>μ and C are running averages over the training batches' embeddings, updated by {@link #observe} (as batch
 * norm keeps its running statistics) and never by the optimizer. They are parameters, so every snapshot carries
 * the ones of its own version and every embedder of that version applies the same ones. Untrained (μ = 0,
 * C = I), it leaves unit vectors as they are.
 */
public final class EmbeddingStandardizer extends AbstractBlock {
    private static final byte VERSION = 1;
    /** Weight of the past in the running statistics per training step: about the last 100 batches count. */
    static final float MOMENTUM = 0.99f;
    /** How far the whitening is shrunk toward plain centring, as a multiple of the mean eigenvalue. */
    static final double SHRINKAGE = 1.0;
    private static final float EPSILON = 1e-6f;

    /** How the statistics are applied. */
    public enum Mode { STANDARDIZE, WHITEN }

    /** The published embedding is the backbone's output at unit length: what every model before these was. */
    public static final String UNIT = "unit";
    /** Each dimension centred and scaled by the stream's statistics. */
    public static final String STANDARDIZED = "standardized";
    /** Centred and decorrelated by the stream's statistics (ZCA, shrunk). */
    public static final String WHITENED = "whitened";
    /** What an encoder spec's {@code embedding} may be. */
    public static final java.util.List<String> EMBEDDINGS = java.util.List.of(UNIT, STANDARDIZED, WHITENED);

    /**
     * The mode an encoder spec's {@code embedding} names; null for {@link #UNIT}.
     *
     * @throws IllegalArgumentException for a name not in {@link #EMBEDDINGS}
     */
    public static Mode mode(String embedding) {
        return switch (embedding) {
            case UNIT -> null;
            case STANDARDIZED -> Mode.STANDARDIZE;
            case WHITENED -> Mode.WHITEN;
            default -> throw new IllegalArgumentException("bad embedding '" + embedding
                    + "': unit, standardized or whitened");
        };
    }

    private final Mode mode;
    private final int dim;
    private final Parameter mean;
    private final Parameter covariance;
    // from the statistics as last loaded or observed, computed once for every embedding of them (null: stale):
    // W row-major (dim x dim) when whitening, 1/σ per dimension when standardising. Volatile: an embedder may be
    // shared by stream threads, and each must see a whole array.
    private volatile float[] transform;

    public EmbeddingStandardizer(int dim, Mode mode) {
        super(VERSION);
        this.mode = mode;
        this.dim = dim;
        this.mean = addParameter(Parameter.builder().setName("mean").setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(dim)).optInitializer(Initializer.ZEROS).optRequiresGrad(false).build());
        this.covariance = addParameter(Parameter.builder().setName("covariance").setType(Parameter.Type.RUNNING_VAR)
                .optShape(new Shape(dim, dim)).optInitializer(new IdentityInitializer()).optRequiresGrad(false)
                .build());
    }

    /** Folds a training batch of embeddings (B, E) into the running statistics; no gradient flows. */
    public void observe(NDArray h) {
        try (NDManager scope = h.getManager().newSubManager()) {
            NDArray u = h.stopGradient().normalize(2, 1, 1e-12);
            u.attach(scope);
            NDArray batchMean = u.mean(new int[] {0});
            NDArray centred = u.sub(batchMean);
            NDArray batchCovariance = centred.transpose().matMul(centred).div(Math.max(1, u.getShape().get(0)));
            mean.getArray().muli(MOMENTUM).addi(batchMean.muli(1 - MOMENTUM));
            covariance.getArray().muli(MOMENTUM).addi(batchCovariance.muli(1 - MOMENTUM));
        }
        transform = null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        NDArray m = ps.getValue(mean, h.getDevice(), false);
        NDArray c = ps.getValue(covariance, h.getDevice(), false);
        NDArray centred = h.normalize(2, 1, 1e-12).sub(m);
        float[] t = transform(c);
        NDArray s = mode == Mode.STANDARDIZE ? centred.mul(h.getManager().create(t))
                : centred.matMul(h.getManager().create(t, new Shape(dim, dim)));
        return new NDList(s.normalize(2, 1, 1e-12));
    }

    private float[] transform(NDArray c) {
        float[] t = transform;
        if (t == null) {
            t = mode == Mode.STANDARDIZE ? inverseDeviations(c.toFloatArray(), dim) : zca(c.toFloatArray(), dim);
            transform = t;
        }
        return t;
    }

    /** 1/sqrt(C_ii) of a covariance, row-major. */
    static float[] inverseDeviations(float[] covariance, int dim) {
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            out[i] = (float) (1 / Math.sqrt(Math.max(covariance[i * dim + i], 0) + EPSILON));
        }
        return out;
    }

    /** W = V (Λ + α·mean(Λ))^(-1/2) Vᵀ of a symmetric covariance, row-major. */
    static float[] zca(float[] covariance, int dim) {
        double[][] c = new double[dim][dim];
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                c[a][b] = (covariance[a * dim + b] + covariance[b * dim + a]) / 2; // symmetric, as rounding may not be
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(c, false));
        double[] values = eig.getRealEigenvalues();
        double meanValue = 0;
        for (double v : values) {
            meanValue += Math.max(v, 0) / dim;
        }
        RealMatrix vectors = eig.getV();
        double[] scale = new double[dim];
        for (int k = 0; k < dim; k++) {
            scale[k] = 1 / Math.sqrt(Math.max(values[k], 0) + SHRINKAGE * meanValue + EPSILON);
        }
        float[] w = new float[dim * dim];
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                double sum = 0;
                for (int k = 0; k < dim; k++) {
                    sum += vectors.getEntry(a, k) * scale[k] * vectors.getEntry(b, k);
                }
                w[a * dim + b] = (float) sum;
                w[b * dim + a] = (float) sum;
            }
        }
        return w;
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException,
            ai.djl.MalformedModelException {
        super.loadParameters(manager, is);
        transform = null; // other statistics: another transform
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {}

    /** The identity matrix: an untrained covariance that whitens nothing. */
    private static final class IdentityInitializer implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            return manager.eye((int) shape.get(0)).toType(dataType, false);
        }
    }
}
