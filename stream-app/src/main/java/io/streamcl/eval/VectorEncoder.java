package io.streamcl.eval;

import java.util.List;

/**
 * Whatever turns encoder inputs into vectors, one per input: a trained model, the raw inputs, a
 * baseline. Evaluation scores what it returns and never needs to know which it is.
 */
@FunctionalInterface
public interface VectorEncoder {
    float[][] embed(List<float[]> inputs);
}
