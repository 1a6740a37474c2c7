package io.streamcl.kind;

import static io.streamcl.config.Setting.choiceSetting;
import static io.streamcl.config.Setting.floatSetting;
import static io.streamcl.config.Setting.fractionSetting;
import static io.streamcl.config.Setting.intListSetting;
import static io.streamcl.config.Setting.intSetting;

import io.streamcl.augment.Augmenter;
import io.streamcl.augment.SentenceAugmentation;
import io.streamcl.augment.SentenceAugmenter;
import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Setting;
import io.streamcl.config.SettingGroup;
import io.streamcl.config.Settings;
import io.streamcl.ingest.HashedFeatures;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.SentenceDecoder;
import io.streamcl.ingest.SentenceTokenizer;
import io.streamcl.learn.EmbeddingStandardizer;
import io.streamcl.learn.EncoderSpec;
import io.streamcl.learn.TextEncoderSpec;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.SentenceItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Sentences in any language: words (or the tokens of a user's tokenizer.json), augmented at the token
 * level, then hashed into unigram, bigram and character n-gram features that need no vocabulary file and
 * no download.
 */
public final class SentenceKind implements StandaloneKind<List<String>> {
    public static final String NAME = "sentence";

    // 131,072 buckets: with the defaults below, on Brown (bare loop) 0.287 on average over five training seeds against
    // 0.280 at 32,768, level on a second split, and 0.279-0.287 on the feed. A learner in a 1 GiB heap holds
    // it once a version's parameters are not copied for its gate, metrics and promotion, nor queued behind a slow
    // producer (BENCHMARKS.md, Sentences, 2026-12-07, day)
    public static final Setting<Integer> SENTENCE_VOCAB = intSetting("sentence.vocab-size", 131_072, 16, 1 << 24,
            "hashed feature buckets (word unigrams, bigrams, character n-grams); the model has vocab x token-dim weights; a"
                    + " step updates the rows its batch holds");
    public static final Setting<Integer> SENTENCE_CHAR_MIN = intSetting("sentence.char-ngram.min", 3, 1,
            HashedFeatures.MAX_CHAR_NGRAM, "shortest character n-gram hashed from each word (taken between boundary marks)");
    public static final Setting<Integer> SENTENCE_CHAR_MAX = intSetting("sentence.char-ngram.max", 4, 1,
            HashedFeatures.MAX_CHAR_NGRAM, "longest character n-gram hashed from each word, at least sentence.char-ngram.min");
    public static final Setting<Integer> SENTENCE_MAX_FEATURES = intSetting("sentence.max-features", 256, 1, 4096,
            "features kept per sentence (unigrams first, then bigrams, then character n-grams)");
    public static final Setting<Integer> SENTENCE_TOKEN_DIM = intSetting("sentence.token-dim", 64, 1, 4096,
            "size of each feature's learned vector");
    public static final Setting<Float> SENTENCE_DROPOUT = fractionSetting("sentence.dropout", 0.1f,
            "dropout in the text encoder (the only augmentation when sentence.augment=dropout, as in SimCSE)");
    // a layer norm of the bag: bare loop on Brown over five training seeds, kNN +0.3 points on average at 32,768
    // buckets and +0.2 at 131,072, better in 7 of the 10 runs, and the worst seed no longer far below the rest
    // (BENCHMARKS.md, Sentences, 2026-12-06)
    public static final Setting<String> SENTENCE_NORM = choiceSetting("sentence.norm", TextEncoderSpec.LAYER_NORM,
            TextEncoderSpec.NORMS, "normalisation of the averaged feature vectors before the MLP: layer (a layer norm,"
                    + " so that long and short sentences reach it at one scale) or none");
    public static final Setting<String> SENTENCE_EMBEDDING = choiceSetting("sentence.embedding",
            EmbeddingStandardizer.UNIT, EmbeddingStandardizer.EMBEDDINGS,
            "the published embedding, as image.embedding: unit, standardized or whitened by the training batches' statistics");
    public static final Setting<String> SENTENCE_AUGMENT = choiceSetting("sentence.augment", "words",
            List.of("words", "dropout"), "words: crop, word dropout, neighbour swap, masking; dropout: SimCSE");
    public static final Setting<Float> SENTENCE_SPAN_CROP = floatSetting("sentence.span-crop.min", 0.3f, 0f, 1f,
            "a view keeps a contiguous span of at least this fraction of the words");
    public static final Setting<Float> SENTENCE_WORD_DROPOUT = new Setting<>("sentence.word-dropout",
            "probability of dropping each word", "0.3", v -> Float.valueOf(v.strip()),
            v -> !v.isNaN() && v >= 0f && v < 1f, "in [0, 1)");
    public static final Setting<Float> SENTENCE_SWAP = fractionSetting("sentence.neighbour-swap", 0.1f,
            "probability of swapping each pair of neighbouring words");
    public static final Setting<Float> SENTENCE_MASK = fractionSetting("sentence.token-mask", 0.2f,
            "probability of replacing each word by [mask]");
    public static final Setting<String> SENTENCE_TOKENIZER = new Setting<>("sentence.tokenizer", "empty: the built-in"
            + " words; else a HuggingFace tokenizer.json file whose tokens are hashed and augmented instead of words", "",
            String::strip, v -> v.isEmpty() || java.nio.file.Files.isRegularFile(java.nio.file.Path.of(v)),
            "empty, or a readable file");
    public static final Setting<Integer> SENTENCE_MAX_CHARS = intSetting("sentence.max.chars", 10_000, 1, 1 << 24,
            "longer sentences go to the dead-letter topic");

    /** How it is registered: its settings, how they configure it, where its items are read from, its demo. */
    public static final KindDefinition DEFINITION = KindDefinition.builder(NAME)
            .settings(SettingGroup.of(SENTENCE_VOCAB, SENTENCE_MAX_FEATURES, SENTENCE_CHAR_MIN, SENTENCE_CHAR_MAX,
                    SENTENCE_TOKEN_DIM, SENTENCE_DROPOUT, SENTENCE_NORM,
                    SENTENCE_EMBEDDING, SENTENCE_AUGMENT, SENTENCE_SPAN_CROP, SENTENCE_WORD_DROPOUT, SENTENCE_SWAP, SENTENCE_MASK, SENTENCE_TOKENIZER,
                    SENTENCE_MAX_CHARS))
            // SimCLR learns sentences better than MoCo on both Brown splits, on the feed (demo, seed 42: 0.224 ->
            // 0.252; seed 7: 0.141 -> 0.179, TF-IDF 0.253 / 0.155) at no lower speed; BENCHMARKS.md, issue 14
            .ownDefault(Settings.METHOD, "simclr")
            // with character 3-4-grams and 256 features, the one combination that gained on both splits and the feed;
            // the sparse bag's backward made it affordable (BENCHMARKS.md, Sentences, 2026-12-03)
            .ownDefault(Settings.TEMPERATURE, "0.2")
            // sentences keep learning from more replays (bare loop, 20,000 sentences: 10 / 15 / 20 uses 0.271 / 0.276 /
            // 0.279), and their step of small operators runs faster on one libtorch thread than on a team that the
            // stream threads compete with (pipeline: 357.6 against 294.3 items/s); BENCHMARKS.md, Sentences
            .ownDefault(Settings.REPLAY_UPDATES, "15")
            .ownDefault(Settings.TRAINER_THREADS, "1")
            // each version costs the trainer and every embedder a copy and load of the table: one every 100 steps
            // (about 5 s) kept a 131,072-row pipeline at 317 against 258 items/s every 50 (BENCHMARKS.md)
            .ownDefault(Settings.SNAPSHOT_EVERY, "100")
            // a sentence encoder's probe top-1 falls as it learns: an early version matches a sentence's views by the
            // n-grams they share (v1 0.645), a trained one less so (0.41-0.54 at steps 500-1181, the last 10 kNN
            // points above the untrained encoder), and at 0.1 the gate refused the last version of a run and left the
            // feed on an older one (BENCHMARKS.md, Sentences, 2026-12-06). A collapse takes top-1 towards 1/probe
            // size, far below either
            .ownDefault(Settings.PROMOTION_TOLERANCE, "0.25")
            // the table's rows at 3x the learning rate (a row moves only in the steps that read it) and an average of
            // f_q published (m 0.99): +0.5 points on average over five training seeds at 32,768 buckets, 0.191 -> 0.199
            // on the second split, and at 131,072 ahead on each of nine seeds (BENCHMARKS.md, Sentences, 2026-12-07,
            // evening and night)
            .ownDefault(Settings.LEARNING_RATE_TABLE_FACTOR, "3")
            .ownDefault(Settings.SNAPSHOT_ENCODER, "momentum")
            .configure(SentenceKind::new)
            .formats(SentenceFormats.all())
            .demo(SentenceDemo::create)
            .build();

    private final int maxChars;
    private final SentenceTokenizer tokenizer;
    private final HashedFeatures features;
    private final SentenceAugmenter words;
    private final TextEncoderSpec spec;

    public SentenceKind(Settings s) {
        this.maxChars = s.get(SENTENCE_MAX_CHARS);
        this.tokenizer = tokenizer(s.get(SENTENCE_TOKENIZER));
        if (s.get(SENTENCE_CHAR_MIN) > s.get(SENTENCE_CHAR_MAX)) {
            throw new InvalidSettingsException(List.of(SENTENCE_CHAR_MIN.name() + " (" + s.get(SENTENCE_CHAR_MIN)
                    + ") must be at most " + SENTENCE_CHAR_MAX.name() + " (" + s.get(SENTENCE_CHAR_MAX) + ")"));
        }
        this.features = HashedFeatures.builder()
                .vocabSize(s.get(SENTENCE_VOCAB))
                .maxFeatures(s.get(SENTENCE_MAX_FEATURES))
                .charNgramMin(s.get(SENTENCE_CHAR_MIN))
                .charNgramMax(s.get(SENTENCE_CHAR_MAX))
                .build();
        this.words = new SentenceAugmenter(SentenceAugmentation.builder()
                .dropoutOnly("dropout".equals(s.get(SENTENCE_AUGMENT)))
                .spanCropMin(s.get(SENTENCE_SPAN_CROP))
                .wordDropout(s.get(SENTENCE_WORD_DROPOUT))
                .neighbourSwap(s.get(SENTENCE_SWAP))
                .tokenMask(s.get(SENTENCE_MASK))
                .build());
        this.spec = new TextEncoderSpec(s.get(SENTENCE_VOCAB), s.get(SENTENCE_MAX_FEATURES),
                s.get(SENTENCE_TOKEN_DIM), s.get(SENTENCE_DROPOUT), s.get(Settings.EMBEDDING_DIM),
                s.get(Settings.PROJECTION_DIM), s.get(SENTENCE_EMBEDDING), s.get(SENTENCE_NORM));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<?> payloadType() {
        return SentenceItem.class;
    }

    @Override
    public List<String> decode(RawItem item) throws InvalidItemException {
        return SentenceDecoder.decode((SentenceItem) item.getPayload(), maxChars, tokenizer);
    }

    /** The tokens of a text as this kind decodes it: the built-in words, or the configured tokenizer's. */
    public List<String> tokens(String text) {
        return tokenizer.tokens(text);
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
