package io.streamcl.learn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.Map;

/**
 * Sentences as bags of hashed features (word unigrams, bigrams, character n-grams): a learned
 * vector per feature, averaged, then an MLP with dropout. The dropout is what makes two copies of
 * the same sentence differ when augmentation is off (SimCSE, Gao et al. 2021); embedding runs
 * without it.
 *
 * <p>Input: (B, maxFeatures) feature ids as floats, 0 = padding.
 */
public record TextEncoderSpec(int vocabSize, int maxFeatures, int tokenDim, float dropout, int embeddingDim,
        int projectionDim, String embedding) implements EncoderSpec {
    public static final String TYPE = "text-hashed-bag";

    /** @param embedding as {@link EmbeddingStandardizer#EMBEDDINGS} names it */
    public TextEncoderSpec(int vocabSize, int maxFeatures, int tokenDim, float dropout, int embeddingDim,
            int projectionDim) {
        this(vocabSize, maxFeatures, tokenDim, dropout, embeddingDim, projectionDim, EmbeddingStandardizer.UNIT);
    }

    public TextEncoderSpec {
        if (vocabSize < 16 || maxFeatures < 1 || tokenDim < 1 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("bad text encoder: vocab=" + vocabSize + " maxFeatures=" + maxFeatures
                    + " tokenDim=" + tokenDim + " dropout=" + dropout);
        }
        EmbeddingStandardizer.mode(embedding); // throws for a name it does not know
    }

    public static TextEncoderSpec fromConfig(Map<String, String> c) {
        Map<String, String> withEmbedding = new java.util.LinkedHashMap<>(c);
        withEmbedding.putIfAbsent("embedding", EmbeddingStandardizer.UNIT); // a model from before the setting
        return EncoderConfigs.parse(TextEncoderSpec.class, TYPE, withEmbedding);
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
        return maxFeatures;
    }

    @Override
    public Shape inputShape(int batch) {
        return new Shape(batch, maxFeatures);
    }

    @Override
    public Block newBackbone() {
        return new SequentialBlock()
                .add(new HashedBag(vocabSize, tokenDim))
                .add(Linear.builder().setUnits(Math.max(tokenDim, embeddingDim)).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(embeddingDim).build());
    }
}
