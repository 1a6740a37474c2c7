package io.streamcl.kind;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.SentenceAugmentation;
import io.streamcl.augment.SentenceAugmenter;
import io.streamcl.config.Settings;
import io.streamcl.ingest.HashedFeatures;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.SentenceDecoder;
import io.streamcl.ingest.SentenceTokenizer;
import io.streamcl.config.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Path;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.TextEncoderSpec;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import java.util.List;
import java.util.Map;

/**
 * Sentences in any language: words (or the tokens of a user's tokenizer.json), augmented at the token
 * level, then hashed into unigram, bigram and character n-gram features that need no vocabulary file and
 * no download.
 */
public final class SentenceKind implements StandaloneKind<List<String>> {
    public static final String NAME = "sentence";

    private final int maxChars;
    private final SentenceTokenizer tokenizer;
    private final HashedFeatures features;
    private final SentenceAugmenter words;
    private final TextEncoderSpec spec;

    public SentenceKind(Settings s) {
        this.maxChars = s.get(Settings.SENTENCE_MAX_CHARS);
        this.tokenizer = tokenizer(s.get(Settings.SENTENCE_TOKENIZER));
        this.features = HashedFeatures.builder()
                .vocabSize(s.get(Settings.SENTENCE_VOCAB))
                .maxFeatures(s.get(Settings.SENTENCE_MAX_FEATURES))
                .build();
        this.words = new SentenceAugmenter(SentenceAugmentation.builder()
                .dropoutOnly("dropout".equals(s.get(Settings.SENTENCE_AUGMENT)))
                .spanCropMin(s.get(Settings.SENTENCE_SPAN_CROP))
                .wordDropout(s.get(Settings.SENTENCE_WORD_DROPOUT))
                .neighbourSwap(s.get(Settings.SENTENCE_SWAP))
                .tokenMask(s.get(Settings.SENTENCE_MASK))
                .build());
        this.spec = new TextEncoderSpec(s.get(Settings.SENTENCE_VOCAB), s.get(Settings.SENTENCE_MAX_FEATURES),
                s.get(Settings.SENTENCE_TOKEN_DIM), s.get(Settings.SENTENCE_DROPOUT), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean handles(Object payload) {
        return payload instanceof SentenceItem;
    }

    @Override
    public List<String> decode(RawItem item) throws InvalidItemException {
        return SentenceDecoder.decode((SentenceItem) item.getPayload(), maxChars, tokenizer);
    }

    private static SentenceTokenizer tokenizer(String tokenizerJson) {
        if (tokenizerJson.isEmpty()) {
            return SentenceTokenizer.words();
        }
        try {
            return SentenceTokenizer.fromFile(Path.of(tokenizerJson));
        } catch (IOException e) {
            throw new InvalidSettingsException(List.of("sentence.tokenizer: " + e.getMessage()));
        }
    }

    @Override
    public float[] embeddingInput(List<String> item) {
        return features.encode(item);
    }

    @Override
    public Augmenter<List<String>, float[]> augmenter() {
        return (item, rng) -> features.encode(words.view(item, rng));
    }

    @Override
    public EncoderSpec encoderSpec() {
        return spec;
    }

    @Override
    public EncoderSpec encoderSpec(Map<String, String> snapshotConfig) {
        return TextEncoderSpec.fromConfig(snapshotConfig);
    }
}
