package io.streamcl.learn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.streamcl.eval.VectorEncoder;
import java.util.List;

/**
 * Embeds items with a frozen copy of an encoder loaded from snapshot parameters: the published
 * embedding is the L2-normalised backbone output. Never shares blocks with a trainer (a trainer's
 * thread has gradients on); one Embedder per thread.
 *
 * <p>It runs libtorch on the caller's thread alone ({@link IntraOpThreads}): embedding scales out over
 * threads and instances, the cores stay with the trainer, and the same bits come out wherever it runs.
 */
public final class Embedder implements AutoCloseable, VectorEncoder {
    /**
     * Every forward pass sees exactly this many rows (a short chunk is padded with zeros). The kernels' sums
     * then run in the same order whatever else is in the batch, so an item's vector does not depend on its
     * neighbours: the stream and {@code embed} give the same bits for the same version.
     */
    public static final int CHUNK = 64;

    private final EncoderSpec spec;
    private final NDManager manager;
    private final ContrastiveEncoder encoder;
    private final ParameterStore store;

    /**
     * @throws IllegalArgumentException when the parameters do not fit the spec, or are not all finite numbers
     *     (such an encoder would only make NaN vectors)
     */
    public Embedder(EncoderSpec spec, byte[] parameters, Device device) {
        this.spec = spec;
        this.manager = NDManager.newBaseManager(device, "PyTorch");
        this.encoder = spec.newEncoder();
        try {
            IntraOpThreads.withThreads(1, () -> {
                // zeros, overwritten by the load: random values would cost a draw per parameter at every version
                // (8.5 million for a 131,072-row table) from the engine's one generator, which trainers share
                encoder.setInitializer(new ConstantInitializer(0f), p -> true);
                encoder.initialize(manager, DataType.FLOAT32, spec.inputShape(1));
                ContrastiveTrainer.loadInto(encoder, manager, parameters);
                return null;
            });
            if (!ContrastiveTrainer.parametersFinite(encoder)) {
                throw new IllegalArgumentException("the parameters are not all finite numbers");
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        encoder.freezeParameters(true);
        this.store = new ParameterStore(manager, false);
    }

    public EncoderSpec spec() {
        return spec;
    }

    /** @param inputs N items, each {@link EncoderSpec#inputSize()} floats; returns (N, embeddingDim), unit rows */
    public float[][] embed(List<float[]> inputs) {
        return IntraOpThreads.withThreads(1, () -> embedHere(inputs));
    }

    private float[][] embedHere(List<float[]> inputs) {
        float[][] out = new float[inputs.size()][];
        for (int from = 0; from < inputs.size(); from += CHUNK) {
            List<float[]> chunk = inputs.subList(from, Math.min(inputs.size(), from + CHUNK));
            int n = chunk.size();
            float[] flat = new float[CHUNK * spec.inputSize()]; // rows past n stay zero
            for (int i = 0; i < n; i++) {
                float[] v = chunk.get(i);
                if (v.length != spec.inputSize()) {
                    throw new IllegalArgumentException("input has " + v.length + " values, encoder expects "
                            + spec.inputSize());
                }
                System.arraycopy(v, 0, flat, i * spec.inputSize(), spec.inputSize());
            }
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = sm.create(flat, spec.inputShape(CHUNK));
                float[] rows = encoder.published(store, x).toFloatArray(); // (n, E)
                int e = spec.embeddingDim();
                for (int i = 0; i < n; i++) {
                    float[] row = new float[e];
                    System.arraycopy(rows, i * e, row, 0, e);
                    out[from + i] = row;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
