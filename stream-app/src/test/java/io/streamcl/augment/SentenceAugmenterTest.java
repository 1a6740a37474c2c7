package io.streamcl.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.ingest.SentenceText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SentenceAugmenterTest {

    private static final List<String> WORDS = words(20);

    /** w0, w1, ...: distinct words, so a view shows where each came from. */
    private static List<String> words(int n) {
        return IntStream.range(0, n).mapToObj(i -> "w" + i).collect(Collectors.toList());
    }

    private static int index(String word) {
        return Integer.parseInt(word.substring(1));
    }

    private static SentenceAugmenter only(SentenceAugmentation.Builder b) {
        return new SentenceAugmenter(b.build());
    }

    private static SentenceAugmentation.Builder nothing() {
        return SentenceAugmentation.none().toBuilder();
    }

    @Test
    void shouldGiveSameViewForSameSeed() {
        SentenceAugmenter aug = new SentenceAugmenter(SentenceAugmentation.builder().tokenMask(0.3).build());
        for (int view = 0; view < 2; view++) {
            List<String> a = aug.view(WORDS, Seeds.forView(7, "s-1", 0, view));
            List<String> b = aug.view(WORDS, Seeds.forView(7, "s-1", 0, view));
            assertThat(a).isEqualTo(b);
        }
        Set<List<String>> distinct = new HashSet<>();
        for (int occurrence = 0; occurrence < 20; occurrence++) {
            distinct.add(aug.view(WORDS, Seeds.forView(7, "s-1", occurrence, 0)));
        }
        assertThat(distinct.size()).isGreaterThan(15);
    }

    @Test
    void shouldNeverReturnAnEmptyView() {
        SentenceAugmenter harsh = new SentenceAugmenter(SentenceAugmentation.builder().spanCropMin(0.01)
                .wordDropout(0.99).neighbourSwap(1).tokenMask(1).build());
        SplittableRandom rng = new SplittableRandom(1);
        for (int n = 1; n <= 5; n++) {
            for (int t = 0; t < 2000; t++) {
                assertThat(harsh.view(words(n), rng)).isNotEmpty();
            }
        }
        SentenceAugmenter dropOnly = only(nothing().wordDropout(0.99));
        for (int t = 0; t < 2000; t++) {
            List<String> v = dropOnly.view(WORDS, rng);
            assertThat(v).isNotEmpty();
            assertThat(WORDS).containsSubsequence(v);
        }
    }

    @Test
    void shouldDropAboutTheGivenFractionOfWordsKeepingTheirOrder() {
        SentenceAugmenter aug = only(nothing().wordDropout(0.1));
        SplittableRandom rng = new SplittableRandom(2);
        long kept = 0;
        int draws = 5000;
        for (int t = 0; t < draws; t++) {
            List<String> v = aug.view(WORDS, rng);
            assertThat(WORDS).containsSubsequence(v);
            kept += v.size();
        }
        double dropped = 1 - (double) kept / (draws * WORDS.size());
        // binomial: standard error sqrt(0.09 / 100000) ~ 0.001
        assertThat(dropped).isBetween(0.095, 0.105);
    }

    @Test
    void shouldCropToAContiguousSpanOfAtLeastTheMinimumFraction() {
        SentenceAugmenter aug = only(nothing().spanCropMin(0.6));
        SplittableRandom rng = new SplittableRandom(3);
        Set<Integer> lengths = new HashSet<>();
        Set<Integer> starts = new HashSet<>();
        for (int t = 0; t < 3000; t++) {
            List<String> v = aug.view(WORDS, rng);
            assertThat(v.size()).isBetween(12, 20);
            int start = index(v.get(0));
            assertThat(v).isEqualTo(WORDS.subList(start, start + v.size()));
            lengths.add(v.size());
            starts.add(start);
        }
        assertThat(lengths).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(12, 20).boxed().toList());
        assertThat(starts).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, 8).boxed().toList());
        // 0.6 * 5 is 3.0000000000000004 in doubles: still at least 3 words, not 4
        Set<Integer> shortLengths = new HashSet<>();
        for (int t = 0; t < 500; t++) {
            shortLengths.add(aug.view(words(5), rng).size());
        }
        assertThat(shortLengths).containsExactlyInAnyOrder(3, 4, 5);
    }

    @Test
    void shouldSwapOnlyNeighbours() {
        SentenceAugmenter always = only(nothing().neighbourSwap(1));
        assertThat(always.view(words(5), new SplittableRandom(4))).containsExactly("w1", "w0", "w3", "w2", "w4");

        SentenceAugmenter aug = only(nothing().neighbourSwap(0.3));
        SplittableRandom rng = new SplittableRandom(5);
        int moved = 0;
        for (int t = 0; t < 2000; t++) {
            List<String> v = aug.view(WORDS, rng);
            assertThat(v).containsExactlyInAnyOrderElementsOf(WORDS);
            for (int i = 0; i < v.size(); i++) {
                int from = index(v.get(i));
                assertThat(Math.abs(from - i)).isLessThanOrEqualTo(1);
                if (from != i) {
                    moved++;
                }
            }
        }
        assertThat(moved).isPositive();
    }

    @Test
    void shouldMaskWordsInPlace() {
        SentenceAugmenter aug = only(nothing().tokenMask(0.25));
        SplittableRandom rng = new SplittableRandom(6);
        int masked = 0;
        int draws = 2000;
        for (int t = 0; t < draws; t++) {
            List<String> v = aug.view(WORDS, rng);
            assertThat(v).hasSameSizeAs(WORDS);
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).equals(SentenceText.MASK_TOKEN)) {
                    masked++;
                } else {
                    assertThat(v.get(i)).isEqualTo(WORDS.get(i));
                }
            }
        }
        assertThat((double) masked / (draws * WORDS.size())).isBetween(0.24, 0.26);
    }

    @Test
    void shouldReturnInputUnchangedAndDrawNothingWhenDropoutOnly() {
        SentenceAugmenter simcse = new SentenceAugmenter(SentenceAugmentation.builder().dropoutOnly(true).build());
        SplittableRandom rng = new SplittableRandom(8);
        assertThat(simcse.view(WORDS, rng)).isEqualTo(WORDS);
        assertThat(rng.nextLong()).isEqualTo(new SplittableRandom(8).nextLong());

        SentenceAugmenter none = new SentenceAugmenter(SentenceAugmentation.none());
        SplittableRandom rng2 = new SplittableRandom(9);
        assertThat(none.view(WORDS, rng2)).isEqualTo(WORDS);
        assertThat(rng2.nextLong()).isEqualTo(new SplittableRandom(9).nextLong());
    }

    @Test
    void shouldNotModifyItsInput() {
        List<String> input = new ArrayList<>(WORDS);
        SentenceAugmenter aug = new SentenceAugmenter(SentenceAugmentation.builder().neighbourSwap(1).tokenMask(1)
                .build());
        aug.view(input, new SplittableRandom(10));
        assertThat(input).isEqualTo(WORDS);
    }

    @Test
    void shouldRejectEmptyInput() {
        SentenceAugmenter aug = new SentenceAugmenter(SentenceAugmentation.defaults());
        assertThatThrownBy(() -> aug.view(List.of(), new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("words is empty: a sentence needs at least one word");
    }
}
