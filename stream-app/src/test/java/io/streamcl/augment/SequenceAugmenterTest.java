package io.streamcl.augment;

import static io.streamcl.augment.SequenceAugmenter.MASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.augment.SequenceAugmenter.Op;
import io.streamcl.augment.SequenceAugmenter.Options;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceAugmenterTest {

    private static final List<String> TEN = IntStream.range(0, 10).mapToObj(i -> "i" + i).toList();
    private static final SequenceAugmenter AUG = new SequenceAugmenter();

    @Test
    void shouldCropAContiguousSubsequenceOfFractionEta() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int k = 0; k < 50; k++) {
            List<String> v = AUG.apply(Op.CROP, TEN, rng);
            assertThat(v).hasSize(6);
            assertThat(Collections.indexOfSubList(TEN, v)).isNotNegative();
        }
    }

    @Test
    void shouldMaskFractionGammaOfItemsInPlace() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int k = 0; k < 50; k++) {
            List<String> v = AUG.apply(Op.MASK, TEN, rng);
            assertThat(v).hasSize(10);
            assertThat(v.stream().filter(MASK::equals).count()).isEqualTo(3);
            for (int i = 0; i < 10; i++) {
                assertThat(v.get(i)).isIn(TEN.get(i), MASK);
            }
        }
    }

    @Test
    void shouldReorderOnlyAContiguousWindowOfFractionBeta() {
        SplittableRandom rng = new SplittableRandom(3);
        boolean changed = false;
        for (int k = 0; k < 50; k++) {
            List<String> v = AUG.apply(Op.REORDER, TEN, rng);
            assertThat(v).containsExactlyInAnyOrderElementsOf(TEN);
            int first = IntStream.range(0, 10).filter(i -> !v.get(i).equals(TEN.get(i))).findFirst().orElse(10);
            int last = IntStream.range(0, 10).filter(i -> !v.get(i).equals(TEN.get(i))).max().orElse(-1);
            assertThat(last - first + 1).isLessThanOrEqualTo(6);
            changed |= !v.equals(TEN);
        }
        assertThat(changed).isTrue();
    }

    @Test
    void shouldChooseEachOperationAboutAThirdOfTheTime() {
        SplittableRandom rng = new SplittableRandom(4);
        Map<Op, Integer> count = new EnumMap<>(Op.class);
        for (int k = 0; k < 3000; k++) {
            List<String> v = AUG.view(TEN, rng);
            Op op = v.size() < 10 ? Op.CROP : v.contains(MASK) ? Op.MASK : Op.REORDER;
            count.merge(op, 1, Integer::sum);
        }
        assertThat(count.values()).allSatisfy(n -> assertThat(n).isBetween(900, 1100));
    }

    @Test
    void shouldGiveTheSameViewsForTheSameSeed() {
        List<List<String>> a = new ArrayList<>();
        List<List<String>> b = new ArrayList<>();
        for (int view = 0; view < 20; view++) {
            a.add(AUG.view(TEN, Seeds.forView(7, "user-1", 3, view)));
            b.add(AUG.view(TEN, Seeds.forView(7, "user-1", 3, view)));
        }
        assertThat(a).isEqualTo(b);
        assertThat(a.stream().distinct().count()).isGreaterThan(10);
    }

    @ParameterizedTest(name = "eta={0}, gamma={1}, beta={2}")
    @CsvSource({"0.6, 0.3, 0.6", "0.01, 0.99, 1.0", "1.0, 0.0, 0.0", "0.5, 0.5, 0.5"})
    void shouldNeverReturnAnEmptyOrFullyMaskedView(double eta, double gamma, double beta) {
        SequenceAugmenter aug = new SequenceAugmenter(new Options(eta, gamma, beta));
        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 1; n <= 12; n++) {
            List<String> s = IntStream.range(0, n).mapToObj(i -> "x" + i).toList();
            for (int k = 0; k < 30; k++) {
                List<String> v = aug.view(s, rng);
                assertThat(v).isNotEmpty();
                assertThat(v).anyMatch(x -> !x.equals(MASK));
            }
        }
    }

    @Test
    void shouldReturnASingleItemUnchangedAndNotModifyTheInput() {
        SplittableRandom rng = new SplittableRandom(6);
        for (Op op : Op.values()) {
            assertThat(AUG.apply(op, List.of("only"), rng)).containsExactly("only");
        }
        List<String> input = new ArrayList<>(TEN);
        for (int k = 0; k < 30; k++) {
            AUG.view(input, rng);
        }
        assertThat(input).isEqualTo(TEN);
    }

    @Test
    void shouldRejectEmptyOrNullSequences() {
        SplittableRandom rng = new SplittableRandom(0);
        assertThatThrownBy(() -> AUG.view(List.of(), rng))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence is empty");
        assertThatThrownBy(() -> AUG.view(null, rng))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence is empty");
        assertThatThrownBy(() -> AUG.view(java.util.Arrays.asList("a", null), rng))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sequence[1] is null");
    }

    @Test
    void shouldRejectBadOptionsNamingTheParameter() {
        assertThatThrownBy(() -> new Options(0, 0.3, 0.6))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("eta must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> new Options(0.6, 1, 0.6))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gamma must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Options(0.6, 0.3, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be in [0, 1], got NaN");
        assertThat(Options.DEFAULT).isEqualTo(new Options(0.6, 0.3, 0.6));
    }
}
