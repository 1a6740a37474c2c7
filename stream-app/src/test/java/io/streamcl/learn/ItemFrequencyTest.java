package io.streamcl.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemFrequencyTest {

    @Test
    void shouldRankAFrequentItemAboveARareOne() {
        ItemFrequency f = new ItemFrequency();
        Random rnd = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            int r = rnd.nextInt(100);
            f.observe(r < 10 ? "hit" : r < 11 ? "rare" : "other-" + rnd.nextInt(5000));
        }
        assertThat(f.probability("hit")).isGreaterThan(5 * f.probability("rare"));
        assertThat(f.probability("rare")).isGreaterThan(f.probability("never-seen"));
        double[] logs = f.logProbabilities(List.of("hit", "rare", "never-seen"));
        assertThat(logs[0]).isGreaterThan(logs[1]).isLessThan(0);
        assertThat(logs[1]).isGreaterThan(logs[2]);
        assertThat(logs[0]).isCloseTo(Math.log(f.probability("hit")), within(1e-12));
        assertThat(f.probability("hit")).isCloseTo(0.1, within(0.01));
    }

    @Test
    void shouldNeverReturnZero() {
        ItemFrequency empty = new ItemFrequency(16, 1, Double.POSITIVE_INFINITY);
        assertThat(empty.probability("x")).isEqualTo(1.0);
        assertThat(empty.logProbabilities(List.of("x"))).containsExactly(0.0);

        ItemFrequency f = new ItemFrequency(1024, 4, 10);
        for (int i = 0; i < 100_000; i++) {
            f.observe("busy");
        }
        assertThat(f.probability("unseen")).isGreaterThan(0);
        assertThat(f.logProbabilities(List.of("unseen"))[0]).isFinite();
        assertThat(f.probability("busy")).isLessThanOrEqualTo(1.0).isGreaterThan(0.9);
    }

    @Test
    void shouldCountExactlyWithoutDecayWhenItemsAreFew() {
        ItemFrequency f = new ItemFrequency(1 << 12, 4, Double.POSITIVE_INFINITY);
        for (int i = 0; i < 7; i++) {
            f.observe("a");
        }
        f.observe("b");
        assertThat(f.count("a")).isEqualTo(7.0);
        assertThat(f.count("b")).isEqualTo(1.0);
        assertThat(f.total()).isEqualTo(8.0);
        assertThat(f.probability("a")).isEqualTo(8.0 / 9.0);
        assertThat(f.observations()).isEqualTo(8);
    }

    @Test
    void shouldNeverUnderestimateACountEvenWithCollisions() {
        ItemFrequency f = new ItemFrequency(64, 2, Double.POSITIVE_INFINITY); // far more items than counters
        Map<String, Integer> truth = new HashMap<>();
        Random rnd = new Random(2);
        for (int i = 0; i < 5000; i++) {
            String item = "i" + (int) Math.floor(Math.pow(rnd.nextDouble(), 3) * 1000);
            f.observe(item);
            truth.merge(item, 1, Integer::sum);
        }
        truth.forEach((item, n) -> assertThat(f.count(item)).as(item).isGreaterThanOrEqualTo(n));
    }

    @Test
    void shouldHalveAnOldCountAfterAHalfLife() {
        ItemFrequency f = new ItemFrequency(1 << 12, 4, 100);
        f.observe("old");
        for (int i = 0; i < 100; i++) {
            f.observe("filler-" + (i % 10));
        }
        assertThat(f.count("old")).isCloseTo(0.5, within(1e-9));
        // total of a long stream tends to halfLife / ln 2
        for (int i = 0; i < 5000; i++) {
            f.observe("filler-" + (i % 10));
        }
        assertThat(f.total()).isCloseTo(100 / Math.log(2), within(1.0));
    }

    @Test
    void shouldFollowADriftingStream() {
        ItemFrequency f = new ItemFrequency(1 << 12, 4, 1000);
        for (int i = 0; i < 10_000; i++) {
            f.observe(i % 2 == 0 ? "early" : "x" + (i % 50));
        }
        for (int i = 0; i < 10_000; i++) {
            f.observe(i % 2 == 0 ? "late" : "x" + (i % 50));
        }
        assertThat(f.probability("late")).isGreaterThan(100 * f.probability("early"));
    }

    @Test
    void shouldStayFiniteOverLongStreamsWithShortHalfLife() {
        ItemFrequency f = new ItemFrequency(16, 1, 1);
        for (int i = 0; i < 3000; i++) { // the weight doubles each step: rescaled many times
            f.observe("a");
        }
        assertThat(f.count("a")).isCloseTo(2.0, within(1e-9));
        assertThat(f.total()).isCloseTo(2.0, within(1e-9));
        assertThat(f.probability("b")).isCloseTo(1 / 3.0, within(1e-9));
    }

    @Test
    void shouldRejectBadSettingsNamingTheParameter() {
        assertThatThrownBy(() -> new ItemFrequency(8, 4, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("width must be in [16, 16777216], got 8");
        assertThatThrownBy(() -> new ItemFrequency(1024, 0, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("depth must be in [1, 16], got 0");
        assertThatThrownBy(() -> new ItemFrequency(1024, 4, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("halfLife must be >= 1 (infinity for no decay), got 0.5");
        assertThatThrownBy(() -> new ItemFrequency(1024, 4, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
