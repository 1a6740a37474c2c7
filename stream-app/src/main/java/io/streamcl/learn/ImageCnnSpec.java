package io.streamcl.learn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import java.util.Arrays;
import java.util.Map;

/**
 * A small CNN for images of any size (each is resized to {@code size x size} before it gets here):
 * per entry of {@code convChannels} a 3x3 conv (padding 1), ReLU and 2x2 max-pool, then a linear
 * layer to the embedding. No batch norm by default ({@code norm} "none"); with "batch", a batch norm after each
 * conv uses batch statistics only in f_q's training forward: MoCo's key encoder and every embedder use the
 * running ones, so no key sees its batch (the leak shuffling BN guards against, He et al. 2020) and an item
 * embeds the same alone or in a batch. It measured no better at the default budget (BENCHMARKS.md).
 *
 * <p>{@code embedding} "unit" publishes the linear layer's output at unit length; "standardized" first centres and
 * scales each of its dimensions by the stream's running statistics, "whitened" centres and decorrelates them
 * ({@link EmbeddingStandardizer}).
 */
public record ImageCnnSpec(int channels, int size, int[] convChannels, int embeddingDim, int projectionDim,
        String norm, String embedding) implements EncoderSpec {
    public static final String TYPE = "image-cnn";
    /** No normalisation layer: what every model before {@code norm} existed was, and still is by default. */
    public static final String NO_NORM = "none";
    /** Batch norm after each conv: batch statistics while training, running ones when embedding. */
    public static final String BATCH_NORM = "batch";

    public static final String UNIT_EMBEDDING = EmbeddingStandardizer.UNIT;
    public static final String STANDARDIZED_EMBEDDING = EmbeddingStandardizer.STANDARDIZED;
    public static final String WHITENED_EMBEDDING = EmbeddingStandardizer.WHITENED;

    public ImageCnnSpec(int channels, int size, int[] convChannels, int embeddingDim, int projectionDim) {
        this(channels, size, convChannels, embeddingDim, projectionDim, NO_NORM);
    }

    public ImageCnnSpec(int channels, int size, int[] convChannels, int embeddingDim, int projectionDim, String norm) {
        this(channels, size, convChannels, embeddingDim, projectionDim, norm, UNIT_EMBEDDING);
    }

    public ImageCnnSpec {
        if (channels < 1 || size < 4 || convChannels.length == 0 || size >> convChannels.length < 1) {
            throw new IllegalArgumentException("bad image encoder: channels=" + channels + " size=" + size
                    + " conv=" + Arrays.toString(convChannels));
        }
        if (!NO_NORM.equals(norm) && !BATCH_NORM.equals(norm)) {
            throw new IllegalArgumentException("bad image encoder norm '" + norm + "': none or batch");
        }
        EmbeddingStandardizer.mode(embedding); // throws for a name it does not know
        convChannels = convChannels.clone();
    }

    public static ImageCnnSpec fromConfig(Map<String, String> c) {
        Map<String, String> withNorm = new java.util.LinkedHashMap<>(c);
        withNorm.putIfAbsent("norm", NO_NORM); // a model published before the setting had none
        withNorm.putIfAbsent("embedding", UNIT_EMBEDDING); // nor was its embedding standardised
        return EncoderConfigs.parse(ImageCnnSpec.class, TYPE, withNorm);
    }

    @Override
    public Map<String, String> config() {
        return EncoderConfigs.of(TYPE, this);
    }

    @Override
    public EmbeddingStandardizer.Mode embeddingStandardization() {
        return EmbeddingStandardizer.mode(embedding);
    }

    @Override
    public int inputSize() {
        return channels * size * size;
    }

    @Override
    public Shape inputShape(int batch) {
        return new Shape(batch, channels, size, size);
    }

    @Override
    public Block newBackbone() {
        SequentialBlock net = new SequentialBlock();
        for (int c : convChannels) {
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c).build());
            if (BATCH_NORM.equals(norm)) {
                net.add(BatchNorm.builder().build());
            }
            net.add(Activation.reluBlock())
                    .add(new MaxPool2x2());
        }
        return net.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(embeddingDim).build());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageCnnSpec s && s.config().equals(config());
    }

    @Override
    public int hashCode() {
        return config().hashCode();
    }

    @Override
    public String toString() {
        return config().toString();
    }
}
