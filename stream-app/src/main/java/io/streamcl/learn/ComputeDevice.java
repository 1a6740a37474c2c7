package io.streamcl.learn;

import io.streamcl.schema.serde.ChunkedBytes;
import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Where encoders run, resolved once from the {@code device} setting, and the one way to build a trainer
 * or an embedder there: callers outside this package pass it on without knowing which engine runs.
 */
public final class ComputeDevice {
    private final Device device;

    private ComputeDevice(Device device) {
        this.device = device;
    }

    /**
     * @param setting auto, cpu or gpu
     * @throws IllegalStateException if gpu is asked for and the loaded libtorch sees none
     */
    public static ComputeDevice resolve(String setting) {
        Engine engine = Engine.getEngine("PyTorch");
        switch (setting.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return cpu();
            case "gpu":
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("device=gpu but the loaded libtorch sees no CUDA GPU: point"
                            + " PYTORCH_LIBRARY_PATH at a CUDA build of libtorch 2.7.1 and set PYTORCH_FLAVOR=cu128"
                            + " (see README, 'On a GPU'), or use device=auto|cpu");
                }
                return new ComputeDevice(Device.gpu(0));
            case "auto":
                return engine.getGpuCount() > 0 ? new ComputeDevice(Device.gpu(0)) : cpu();
            default:
                throw new IllegalArgumentException("device must be auto|cpu|gpu, got " + setting);
        }
    }

    public static ComputeDevice cpu() {
        return new ComputeDevice(Device.cpu());
    }

    /** A fresh trainer, or one going on from {@code initialParameters} (see {@link ContrastiveTrainer}). */
    public ContrastiveTrainer trainer(EncoderSpec spec, TrainerConfig config, byte[] initialParameters,
            long initialSteps) {
        return new ContrastiveTrainer(spec, config, device, initialParameters, initialSteps);
    }

    /** A trainer going on from a {@link ContrastiveTrainer#checkpoint()}. */
    public ContrastiveTrainer trainerFromCheckpoint(EncoderSpec spec, TrainerConfig config,
            ChunkedBytes checkpoint) {
        return ContrastiveTrainer.fromCheckpoint(spec, config, device, checkpoint);
    }

    public Embedder embedder(EncoderSpec spec, byte[] parameters) {
        return new Embedder(spec, parameters, device);
    }

    Device djl() {
        return device;
    }

    @Override
    public String toString() {
        return device.toString();
    }
}
