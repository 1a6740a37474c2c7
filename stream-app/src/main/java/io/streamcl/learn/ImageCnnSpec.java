package io.streamcl.learn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Arrays;
import java.util.Map;

/**
 * A small CNN for images of any size (each is resized to {@code size x size} before it gets here):
 * per entry of {@code convChannels} a 3x3 conv (padding 1), ReLU and 2x2 max-pool, then a linear
 * layer to the embedding. No batch norm: in MoCo it leaks batch statistics that let the model cheat
 * (He et al. 2020, shuffling BN), and single items must embed the same alone or in a batch.
 */
public record ImageCnnSpec(int channels, int size, int[] convChannels, int embeddingDim, int projectionDim)
        implements EncoderSpec {
    public static final String TYPE = "image-cnn";

    public ImageCnnSpec {
        if (channels < 1 || size < 4 || convChannels.length == 0 || size >> convChannels.length < 1) {
            throw new IllegalArgumentException("bad image encoder: channels=" + channels + " size=" + size
                    + " conv=" + Arrays.toString(convChannels));
        }
        convChannels = convChannels.clone();
    }

    public static ImageCnnSpec fromConfig(Map<String, String> c) {
        return EncoderConfigs.parse(ImageCnnSpec.class, TYPE, c);
    }

    @Override
    public Map<String, String> config() {
        return EncoderConfigs.of(TYPE, this);
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
            net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(c).build())
                    .add(Activation.reluBlock())
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
