package io.streamcl.bench;

import io.streamcl.ingest.ImageTensor;
import java.util.List;

/**
 * Decoded images with their classes: those learned and those held out for kNN.
 *
 * @param source where they come from, for the report
 */
public record LabelledImages(List<String> trainIds, List<ImageTensor> train, int[] trainLabels, List<String> testIds,
        List<ImageTensor> test, int[] testLabels, String source) {}
