package io.streamcl.augment;

import io.streamcl.ingest.ImageTensor;
import java.util.SplittableRandom;

/**
 * Makes one randomly augmented view of an input. Two calls with generators in the same state give the
 * same view; all randomness comes from {@code rng} (see {@link Seeds#forView}).
 *
 * <p>Implementations are stateless after construction and safe to share between threads; the
 * generator is not.
 *
 * @param <I> the input, e.g. {@link ImageTensor}
 * @param <V> the view, e.g. a float[] ready to become a tensor
 */
@FunctionalInterface
public interface Augmenter<I, V> {

    /** One augmented view of {@code input}, drawing every random choice from {@code rng}. */
    V view(I input, SplittableRandom rng);
}
