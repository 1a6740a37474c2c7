package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class HashedFeaturesTest {

    private static HashedFeatures.Builder only() {
        return HashedFeatures.builder().unigrams(false).bigrams(false).charNgrams(false);
    }

    private static void assertRejected(Consumer<HashedFeatures.Builder> setter, String message) {
        HashedFeatures.Builder b = HashedFeatures.builder();
        setter.accept(b);
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /** FNV-1a over the tag and the code points, then SplitMix64, written out once more. */
    private static long referenceHash(int tag, int[] codePoints) {
        long h = 0xCBF29CE484222325L;
        h ^= tag;
        h *= 0x100000001B3L;
        for (int cp : codePoints) {
            h ^= cp;
            h *= 0x100000001B3L;
        }
        long z = h ^ codePoints.length;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void shouldGiveFixedIdsForFixedInput() {
        // written down once: any change to tokens, hashing or order breaks every trained model's input
        HashedFeatures f = HashedFeatures.builder().vocabSize(1000).maxFeatures(16).build();
        assertThat(f.encode(List.of("the", "cat", "sat"))).containsExactly(
                516, 182, 876, 820, 315, 559, 552, 474, 380, 700, 571, 587, 140, 240, 685, 81);

        HashedFeatures words = only().unigrams(true).vocabSize(1 << 20).maxFeatures(5).build();
        assertThat(words.encode(List.of("привет", "мир", "don't"))).containsExactly(
                361147, 129904, 152333, 0, 0);
    }

    @Test
    void shouldHashAsDocumented() {
        HashedFeatures f = only().unigrams(true).vocabSize(1000).maxFeatures(1).build();
        long h = referenceHash(HashedFeatures.TAG_UNIGRAM, "cat".codePoints().toArray());
        assertThat(f.encode(List.of("cat"))[0]).isEqualTo(1 + Long.remainderUnsigned(h, 999));

        HashedFeatures c = only().charNgrams(true).charNgramMin(3).charNgramMax(3).vocabSize(1000)
                .maxFeatures(1).build();
        long g = referenceHash(HashedFeatures.TAG_CHAR_NGRAM, "<ca".codePoints().toArray());
        assertThat(c.encode(List.of("cat"))[0]).isEqualTo(1 + Long.remainderUnsigned(g, 999));
    }

    @Test
    void shouldEmitUnigramsThenBigramsThenCharNgramsInTextOrder() {
        HashedFeatures all = HashedFeatures.builder().charNgramMin(3).charNgramMax(4).maxFeatures(64).build();
        List<String> words = List.of("ab", "cd");
        float[] uni = only().unigrams(true).maxFeatures(64).build().encode(words);
        float[] bi = only().bigrams(true).maxFeatures(64).build().encode(words);
        float[] ch = only().charNgrams(true).charNgramMin(3).charNgramMax(4).maxFeatures(64).build().encode(words);
        // "<ab>": 3-grams "<ab", "ab>", 4-gram "<ab>"; the same for "<cd>"
        assertThat(HashedFeatures.nonZero(uni)).isEqualTo(2);
        assertThat(HashedFeatures.nonZero(bi)).isEqualTo(1);
        assertThat(HashedFeatures.nonZero(ch)).isEqualTo(6);

        float[] row = all.encode(words);
        float[] expected = new float[64];
        System.arraycopy(uni, 0, expected, 0, 2);
        System.arraycopy(bi, 0, expected, 2, 1);
        System.arraycopy(ch, 0, expected, 3, 6);
        assertThat(row).containsExactly(expected);
        assertThat(uni[0]).isEqualTo(all.encode(List.of("ab"))[0]);
    }

    @Test
    void shouldPutEveryIdInRangeAndPadWithZeros() {
        HashedFeatures f = HashedFeatures.builder().vocabSize(16).maxFeatures(4096).build();
        float[] row = f.encode(SentenceText.words("The quick brown fox jumps over the lazy dog, twice."));
        int n = HashedFeatures.nonZero(row);
        assertThat(n).isGreaterThan(20).isLessThan(4096);
        for (int i = 0; i < row.length; i++) {
            if (i < n) {
                assertThat(row[i]).isBetween(1f, 15f).isEqualTo((float) Math.rint(row[i]));
            } else {
                assertThat(row[i]).isZero();
            }
        }
        assertThat(f.encode(List.of())).hasSize(4096).containsOnly(0f);
    }

    @Test
    void shouldTruncateToMaxFeaturesKeepingTheFirst() {
        List<String> words = SentenceText.words("one two three four five six seven eight nine ten");
        float[] full = HashedFeatures.builder().maxFeatures(4096).build().encode(words);
        float[] cut = HashedFeatures.builder().maxFeatures(7).build().encode(words);
        assertThat(cut).hasSize(7).containsExactly(Arrays.copyOf(full, 7));
        assertThat(HashedFeatures.nonZero(cut)).isEqualTo(7);
    }

    @Test
    void shouldBeDeterministicAcrossInstances() {
        List<String> words = SentenceText.words("Naïve café in Привет мир");
        assertThat(HashedFeatures.builder().build().encode(words))
                .containsExactly(HashedFeatures.builder().build().encode(new ArrayList<>(words)));
    }

    @Test
    void shouldGiveDifferentWordsMostlyDifferentIds() {
        HashedFeatures f = only().unigrams(true).vocabSize(1 << 16).maxFeatures(1).build();
        Set<Float> ids = new HashSet<>();
        int words = 2000;
        for (int i = 0; i < words; i++) {
            ids.add(f.encode(List.of("w" + i))[0]);
        }
        // 2000 balls in 65535 bins: about 30 collisions expected
        assertThat(ids.size()).isGreaterThan(words - 80);
    }

    @Test
    void shouldKeepFamiliesApart() {
        HashedFeatures uni = only().unigrams(true).maxFeatures(1).build();
        HashedFeatures bi = only().bigrams(true).maxFeatures(1).build();
        HashedFeatures ch = only().charNgrams(true).charNgramMin(5).charNgramMax(5).maxFeatures(1).build();
        // the same code points in each family: "<abc>" is also the 5-gram of "abc"
        float word = uni.encode(List.of("<abc>"))[0];
        assertThat(ch.encode(List.of("abc"))[0]).isNotEqualTo(word);
        // a bigram is not the concatenation of its words
        assertThat(bi.encode(List.of("ab", "c"))[0]).isNotEqualTo(bi.encode(List.of("a", "bc"))[0]);
    }

    @Test
    void shouldGiveTheMaskTokenNoCharNgrams() {
        HashedFeatures ch = only().charNgrams(true).maxFeatures(64).build();
        assertThat(HashedFeatures.nonZero(ch.encode(List.of(SentenceText.MASK_TOKEN)))).isZero();
        HashedFeatures uni = only().unigrams(true).maxFeatures(4).build();
        assertThat(HashedFeatures.nonZero(uni.encode(List.of(SentenceText.MASK_TOKEN)))).isEqualTo(1);
    }

    @Test
    void shouldSkipCharNgramsLongerThanTheMarkedWordAndCountCodePoints() {
        HashedFeatures ch = only().charNgrams(true).charNgramMin(3).charNgramMax(5).maxFeatures(64).build();
        // "<a>": one 3-gram, nothing longer
        assertThat(HashedFeatures.nonZero(ch.encode(List.of("a")))).isEqualTo(1);
        // one astral code point is one character: "<😀>" is one 3-gram too
        assertThat(HashedFeatures.nonZero(ch.encode(List.of("\uD83D\uDE00")))).isEqualTo(1);
    }

    @Test
    void shouldApplyDefaultsAndKeepSettingsThroughToBuilder() {
        HashedFeatures d = HashedFeatures.builder().build();
        assertThat(d.vocabSize()).isEqualTo(65536);
        assertThat(d.maxFeatures()).isEqualTo(256);
        assertThat(d.charNgramMin()).isEqualTo(3);
        assertThat(d.charNgramMax()).isEqualTo(5);
        assertThat(d.unigrams() && d.bigrams() && d.charNgrams()).isTrue();
        HashedFeatures f = new HashedFeatures(1 << 24, 4096, 2, 6, true, false, true);
        assertThat(f.toBuilder().build()).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(f).isNotEqualTo(d);
    }

    @Test
    void shouldRejectBadValuesNamingTheSetting() {
        assertRejected(b -> b.vocabSize(15), "vocabSize must be in [16, 16777216], got 15");
        assertRejected(b -> b.vocabSize((1 << 24) + 1), "vocabSize must be in [16, 16777216], got 16777217");
        assertRejected(b -> b.maxFeatures(0), "maxFeatures must be in [1, 4096], got 0");
        assertRejected(b -> b.maxFeatures(4097), "maxFeatures must be in [1, 4096], got 4097");
        assertRejected(b -> b.charNgramMin(0), "charNgramMin must be in [1, 16], got 0");
        assertRejected(b -> b.charNgramMax(17), "charNgramMax must be in [1, 16], got 17");
        assertRejected(b -> b.charNgramMin(5).charNgramMax(4), "charNgramMin must be <= charNgramMax, got 5 > 4");
        assertRejected(b -> b.unigrams(false).bigrams(false).charNgrams(false),
                "at least one of unigrams, bigrams and charNgrams must be on");
    }
}
