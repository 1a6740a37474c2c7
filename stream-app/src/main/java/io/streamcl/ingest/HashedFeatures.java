package io.streamcl.ingest;

import java.util.List;
import java.util.Objects;

/**
 * Turns a sentence's words into a fixed-length row of hashed feature ids, the model's input for
 * sentences: the encoder looks each id up in an embedding table of {@code vocabSize} rows and pools
 * them, so no vocabulary has to be built or shared before the stream starts ("the hashing trick",
 * Weinberger et al. 2009; word and character n-grams as in fastText, Bojanowski et al. 2017).
 *
 * <p>The features of a word list, in this order, are
 * <ol>
 *   <li>each word (unigrams), in text order;</li>
 *   <li>each pair of neighbouring words (bigrams), in text order;</li>
 *   <li>for each word in text order, its character n-grams for n = charNgramMin..charNgramMax (n
 *       ascending, then position), taken from the word between boundary marks, {@code "<" + word + ">"},
 *       so a prefix differs from the same letters inside a word. N-grams longer than the marked word are
 *       skipped, and {@link SentenceText#MASK_TOKEN} has none: its letters say nothing about the word it
 *       hides.</li>
 * </ol>
 * Each family can be switched off. The list is cut at {@code maxFeatures} and the rest of the row is 0,
 * the padding id, which the encoder must ignore. Every id of a feature is in [1, vocabSize).
 *
 * <p>A feature's id is {@code 1 + h mod (vocabSize - 1)}, h an unsigned 64-bit hash: FNV-1a over the
 * family's tag and the feature's code points (each folded in whole; a bigram's two words are separated
 * by a value outside Unicode), then the SplitMix64 finaliser so the low bits that the modulo keeps are
 * well mixed. The family tag keeps a word, the same letters as a bigram, and a character n-gram from
 * colliding systematically. The hash depends only on the text, never on {@code String.hashCode}, the JVM
 * or the platform, so ids written by one process are read the same by every other.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class HashedFeatures {

    public static final int MIN_VOCAB_SIZE = 16;
    public static final int MAX_VOCAB_SIZE = 1 << 24;
    public static final int MAX_FEATURES = 4096;
    /** Longest character n-gram allowed. */
    public static final int MAX_CHAR_NGRAM = 16;

    static final int TAG_UNIGRAM = 1;
    static final int TAG_BIGRAM = 2;
    static final int TAG_CHAR_NGRAM = 3;

    /** Folded in between the two words of a bigram: above every code point, so "ab c" differs from "a bc". */
    private static final int WORD_SEPARATOR = 0x110000;

    private final int vocabSize;
    private final int maxFeatures;
    private final int charNgramMin;
    private final int charNgramMax;
    private final boolean unigrams;
    private final boolean bigrams;
    private final boolean charNgrams;

    /**
     * Checks every value; a bad one fails with a message naming it.
     *
     * @param vocabSize ids are in [1, vocabSize), 0 is padding; in [{@value #MIN_VOCAB_SIZE}, 2^24]
     * @param maxFeatures length of every encoded row, in [1, {@value #MAX_FEATURES}]
     * @param charNgramMin shortest character n-gram, in [1, {@value #MAX_CHAR_NGRAM}]
     * @param charNgramMax longest character n-gram, in [charNgramMin, {@value #MAX_CHAR_NGRAM}]
     * @param unigrams whether to emit word unigrams
     * @param bigrams whether to emit word bigrams
     * @param charNgrams whether to emit character n-grams; at least one of the three must be on
     */
    public HashedFeatures(int vocabSize, int maxFeatures, int charNgramMin, int charNgramMax,
                          boolean unigrams, boolean bigrams, boolean charNgrams) {
        if (vocabSize < MIN_VOCAB_SIZE || vocabSize > MAX_VOCAB_SIZE) {
            throw new IllegalArgumentException("vocabSize must be in [" + MIN_VOCAB_SIZE + ", " + MAX_VOCAB_SIZE
                    + "], got " + vocabSize);
        }
        if (maxFeatures < 1 || maxFeatures > MAX_FEATURES) {
            throw new IllegalArgumentException("maxFeatures must be in [1, " + MAX_FEATURES + "], got "
                    + maxFeatures);
        }
        if (charNgramMin < 1 || charNgramMin > MAX_CHAR_NGRAM) {
            throw new IllegalArgumentException("charNgramMin must be in [1, " + MAX_CHAR_NGRAM + "], got "
                    + charNgramMin);
        }
        if (charNgramMax < 1 || charNgramMax > MAX_CHAR_NGRAM) {
            throw new IllegalArgumentException("charNgramMax must be in [1, " + MAX_CHAR_NGRAM + "], got "
                    + charNgramMax);
        }
        if (charNgramMin > charNgramMax) {
            throw new IllegalArgumentException("charNgramMin must be <= charNgramMax, got " + charNgramMin
                    + " > " + charNgramMax);
        }
        if (!unigrams && !bigrams && !charNgrams) {
            throw new IllegalArgumentException("at least one of unigrams, bigrams and charNgrams must be on");
        }
        this.vocabSize = vocabSize;
        this.maxFeatures = maxFeatures;
        this.charNgramMin = charNgramMin;
        this.charNgramMax = charNgramMax;
        this.unigrams = unigrams;
        this.bigrams = bigrams;
        this.charNgrams = charNgrams;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to derive a variant. */
    public Builder toBuilder() {
        return builder().vocabSize(vocabSize).maxFeatures(maxFeatures)
                .charNgramMin(charNgramMin).charNgramMax(charNgramMax)
                .unigrams(unigrams).bigrams(bigrams).charNgrams(charNgrams);
    }

    public int vocabSize() { return vocabSize; }
    public int maxFeatures() { return maxFeatures; }
    public int charNgramMin() { return charNgramMin; }
    public int charNgramMax() { return charNgramMax; }
    public boolean unigrams() { return unigrams; }
    public boolean bigrams() { return bigrams; }
    public boolean charNgrams() { return charNgrams; }

    /**
     * The feature ids of a word list.
     *
     * @param words tokens as {@link SentenceText#words} gives them (possibly augmented); empty strings add
     *     nothing
     * @return [maxFeatures] ids in [1, vocabSize) stored as floats (exact, as vocabSize is at most 2^24), in the
     *     order above, then 0s
     */
    public float[] encode(List<String> words) {
        Objects.requireNonNull(words, "words");
        float[] out = new float[maxFeatures];
        int n = 0;
        if (unigrams) {
            for (int i = 0; i < words.size() && n < maxFeatures; i++) {
                String w = words.get(i);
                if (!w.isEmpty()) {
                    out[n++] = id(hashWord(w));
                }
            }
        }
        if (bigrams) {
            for (int i = 0; i + 1 < words.size() && n < maxFeatures; i++) {
                String a = words.get(i);
                String b = words.get(i + 1);
                if (!a.isEmpty() && !b.isEmpty()) {
                    out[n++] = id(hashBigram(a, b));
                }
            }
        }
        if (charNgrams) {
            for (int i = 0; i < words.size() && n < maxFeatures; i++) {
                String w = words.get(i);
                if (w.isEmpty() || w.equals(SentenceText.MASK_TOKEN)) {
                    continue;
                }
                int[] marked = marked(w);
                for (int len = charNgramMin; len <= charNgramMax && len <= marked.length; len++) {
                    for (int start = 0; start + len <= marked.length && n < maxFeatures; start++) {
                        out[n++] = id(hashCodePoints(TAG_CHAR_NGRAM, marked, start, len));
                    }
                }
            }
        }
        return out;
    }

    /** Non-padding entries of an encoded row: its features before the padding starts. */
    public static int nonZero(float[] row) {
        int n = 0;
        for (float v : row) {
            if (v != 0f) {
                n++;
            }
        }
        return n;
    }

    private float id(long hash) {
        return 1 + Long.remainderUnsigned(hash, vocabSize - 1);
    }

    /** The code points of {@code "<" + word + ">"}. */
    static int[] marked(String word) {
        int[] cps = new int[word.codePointCount(0, word.length()) + 2];
        cps[0] = '<';
        int k = 1;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            cps[k++] = cp;
            i += Character.charCount(cp);
        }
        cps[k] = '>';
        return cps;
    }

    static long hashWord(String w) {
        long h = Hashes.fnv1a(Hashes.FNV_OFFSET, TAG_UNIGRAM);
        int count = 0;
        for (int i = 0; i < w.length(); ) {
            int cp = w.codePointAt(i);
            h = Hashes.fnv1a(h, cp);
            count++;
            i += Character.charCount(cp);
        }
        return Hashes.mix64(h ^ count);
    }

    static long hashBigram(String a, String b) {
        long h = Hashes.fnv1a(Hashes.FNV_OFFSET, TAG_BIGRAM);
        int count = 1;
        for (int i = 0; i < a.length(); ) {
            int cp = a.codePointAt(i);
            h = Hashes.fnv1a(h, cp);
            count++;
            i += Character.charCount(cp);
        }
        h = Hashes.fnv1a(h, WORD_SEPARATOR);
        for (int i = 0; i < b.length(); ) {
            int cp = b.codePointAt(i);
            h = Hashes.fnv1a(h, cp);
            count++;
            i += Character.charCount(cp);
        }
        return Hashes.mix64(h ^ count);
    }

    static long hashCodePoints(int tag, int[] cps, int start, int len) {
        long h = Hashes.fnv1a(Hashes.FNV_OFFSET, tag);
        for (int i = start; i < start + len; i++) {
            h = Hashes.fnv1a(h, cps[i]);
        }
        return Hashes.mix64(h ^ len);
    }

    @Override
    public String toString() {
        return "HashedFeatures{vocabSize=" + vocabSize + ", maxFeatures=" + maxFeatures
                + ", charNgram=[" + charNgramMin + ", " + charNgramMax + "]"
                + ", unigrams=" + unigrams + ", bigrams=" + bigrams + ", charNgrams=" + charNgrams + "}";
    }

    /** Equal settings give equal ids for every input. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HashedFeatures f && f.vocabSize == vocabSize && f.maxFeatures == maxFeatures
                && f.charNgramMin == charNgramMin && f.charNgramMax == charNgramMax
                && f.unigrams == unigrams && f.bigrams == bigrams && f.charNgrams == charNgrams;
    }

    @Override
    public int hashCode() {
        return Objects.hash(vocabSize, maxFeatures, charNgramMin, charNgramMax, unigrams, bigrams, charNgrams);
    }

    /**
     * Builds {@link HashedFeatures}. Defaults: vocabSize 2^16, maxFeatures 256 (a 20-word sentence has
     * 20 unigrams, 19 bigrams and about 240 character 3..5-grams), character n-grams 3..5, every family
     * on. The values are checked by {@link #build()}.
     */
    public static final class Builder {
        private int vocabSize = 1 << 16;
        private int maxFeatures = 256;
        private int charNgramMin = 3;
        private int charNgramMax = 5;
        private boolean unigrams = true;
        private boolean bigrams = true;
        private boolean charNgrams = true;

        private Builder() {}

        /** Rows of the encoder's embedding table; ids are in [1, vocabSize). Default 65536. */
        public Builder vocabSize(int v) {
            this.vocabSize = v;
            return this;
        }

        /** Length of every encoded row. Default 256. */
        public Builder maxFeatures(int v) {
            this.maxFeatures = v;
            return this;
        }

        /** Shortest character n-gram. Default 3. */
        public Builder charNgramMin(int v) {
            this.charNgramMin = v;
            return this;
        }

        /** Longest character n-gram. Default 5. */
        public Builder charNgramMax(int v) {
            this.charNgramMax = v;
            return this;
        }

        /** Whether to emit word unigrams. Default true. */
        public Builder unigrams(boolean on) {
            this.unigrams = on;
            return this;
        }

        /** Whether to emit word bigrams. Default true. */
        public Builder bigrams(boolean on) {
            this.bigrams = on;
            return this;
        }

        /** Whether to emit character n-grams. Default true. */
        public Builder charNgrams(boolean on) {
            this.charNgrams = on;
            return this;
        }

        public HashedFeatures build() {
            return new HashedFeatures(vocabSize, maxFeatures, charNgramMin, charNgramMax,
                    unigrams, bigrams, charNgrams);
        }
    }
}
