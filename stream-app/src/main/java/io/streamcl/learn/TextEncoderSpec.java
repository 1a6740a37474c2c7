package io.streamcl.learn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * Sentences as bags of hashed features (word unigrams, bigrams, character n-grams): a learned
 * vector per feature, averaged, then an MLP with dropout. The dropout is what makes two copies of
 * the same sentence differ when augmentation is off (SimCSE, Gao et al. 2021); embedding runs
 * without it.
 *
 * <p>With {@code norm} "layer", a layer norm (Ba et al. 2016) takes the bag's mean to zero mean and unit
 * variance across its dims before the MLP. A mean of n feature vectors shrinks about as 1/sqrt(n), so without
 * it the MLP sees long sentences at a fraction of the scale of short ones.
 *
 * <p>Input: (B, maxFeatures) feature ids as floats, 0 = padding.
 */
public record TextEncoderSpec(int vocabSize, int maxFeatures, int tokenDim, float dropout, int embeddingDim,
        int projectionDim, String embedding, String norm) implements EncoderSpec {
    public static final String TYPE = "text-hashed-bag";
    /** No normalisation of the bag: what every model before {@code norm} existed was. */
    public static final String NO_NORM = "none";
    /** A layer norm of the bag's mean, before the MLP. */
    public static final String LAYER_NORM = "layer";
    public static final java.util.List<String> NORMS = java.util.List.of(NO_NORM, LAYER_NORM);

    public TextEncoderSpec(int vocabSize, int maxFeatures, int tokenDim, float dropout, int embeddingDim,
            int projectionDim) {
        this(vocabSize, maxFeatures, tokenDim, dropout, embeddingDim, projectionDim, EmbeddingStandardizer.UNIT);
    }

    /** @param embedding as {@link EmbeddingStandardizer#EMBEDDINGS} names it */
    public TextEncoderSpec(int vocabSize, int maxFeatures, int tokenDim, float dropout, int embeddingDim,
            int projectionDim, String embedding) {
        this(vocabSize, maxFeatures, tokenDim, dropout, embeddingDim, projectionDim, embedding, NO_NORM);
    }

    public TextEncoderSpec {
        if (vocabSize < 16 || maxFeatures < 1 || tokenDim < 1 || dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("bad text encoder: vocab=" + vocabSize + " maxFeatures=" + maxFeatures
                    + " tokenDim=" + tokenDim + " dropout=" + dropout);
        }
        EmbeddingStandardizer.mode(embedding); // throws for a name it does not know
        if (!NORMS.contains(norm)) {
            throw new IllegalArgumentException("bad text encoder norm '" + norm + "': none or layer");
        }
    }

    public static TextEncoderSpec fromConfig(Map<String, String> c) {
        Map<String, String> withEmbedding = new java.util.LinkedHashMap<>(c);
        withEmbedding.putIfAbsent("embedding", EmbeddingStandardizer.UNIT); // a model from before the setting
        withEmbedding.putIfAbsent("norm", NO_NORM); // nor had it a norm
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
        SequentialBlock backbone = new SequentialBlock().add(new HashedBag(vocabSize, tokenDim)); // (B, tokenDim)
        if (LAYER_NORM.equals(norm)) {
            backbone.add(LayerNorm.builder().build()); // over the last axis, with a learned scale and shift
        }
        return backbone
                .add(Linear.builder().setUnits(Math.max(tokenDim, embeddingDim)).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(dropout).build())
                .add(Linear.builder().setUnits(embeddingDim).build());
    }
}
