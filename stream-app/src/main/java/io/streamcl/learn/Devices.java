package io.streamcl.learn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Turns the {@code device} setting into a DJL device, failing clearly when a GPU is asked for but absent. */
public final class Devices {
    private Devices() {}

    /** @param setting auto, cpu or gpu */
    public static Device resolve(String setting) {
        Engine engine = Engine.getEngine("PyTorch");
        switch (setting.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (engine.getGpuCount() == 0) {
                    throw new IllegalStateException("device=gpu but the loaded libtorch sees no CUDA GPU: point"
                            + " PYTORCH_LIBRARY_PATH at a CUDA build of libtorch 2.7.1 and set PYTORCH_FLAVOR=cu128"
                            + " (see README, 'On a GPU'), or use device=auto|cpu");
                }
                return Device.gpu(0);
            case "auto":
                return engine.getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
            default:
                throw new IllegalArgumentException("device must be auto|cpu|gpu, got " + setting);
        }
    }
}
