package io.streamcl.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.streamcl.learn.MaxPool2x2;
import java.util.function.UnaryOperator;

/**
 * Times the image CNN's 2x2 max-pool in inference, libtorch's kernel against {@link MaxPool2x2}'s path, on
 * a thread of its own ({@link OwnThread}) with libtorch's default threads, as in the trainer's key encoder.
 */
public final class PoolingProbe {
    /** Median ms of each, and the largest difference between their outputs (0 when they agree). */
    public record Result(Shape input, double libtorchMillis, double oursMillis, float largestDifference) {}

    private PoolingProbe() {}

    /** @param input (N, C, H, W), as after the first conv layer and its ReLU */
    public static Result run(Shape input, int repeats) {
        return OwnThread.call("pooling-probe", () -> runHere(input, repeats));
    }

    private static Result runHere(Shape input, int repeats) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(input).maximum(0f);
            float difference = MaxPool2x2.libtorch(x).sub(MaxPool2x2.byMaximum(x)).abs().max().getFloat();
            double libtorch = medianMillis(m, x, MaxPool2x2::libtorch, repeats);
            double ours = medianMillis(m, x, MaxPool2x2::byMaximum, repeats);
            return new Result(input, libtorch, ours, difference);
        }
    }

    private static double medianMillis(NDManager m, NDArray x, UnaryOperator<NDArray> pool, int repeats) {
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            try (NDManager scope = m.newSubManager()) {
                NDArray in = x.duplicate();
                in.attach(scope);
                long t = System.nanoTime();
                pool.apply(in).getFloat(0, 0, 0, 0); // waits for the result
                ms[r] = (System.nanoTime() - t) / 1e6;
            }
        }
        return Percentiles.median(ms);
    }
}
