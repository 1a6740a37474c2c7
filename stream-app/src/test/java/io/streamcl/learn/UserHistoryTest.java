package io.streamcl.learn;

import static io.streamcl.learn.UserHistory.Outcome.ADDED;
import static io.streamcl.learn.UserHistory.Outcome.OUT_OF_ORDER_IGNORED;
import static io.streamcl.learn.UserHistory.Outcome.STARTED_NEW_SESSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UserHistoryTest {

    private static final long MIN = 60_000;

    @Test
    void shouldStartTheFirstSessionWithTheFirstEvent() {
        UserHistory h = new UserHistory(10, 30 * MIN, MIN);
        assertThat(h.isEmpty()).isTrue();
        assertThat(h.session()).isEmpty();
        assertThat(h.add("a", 0)).isEqualTo(STARTED_NEW_SESSION);
        assertThat(h.add("b", MIN)).isEqualTo(ADDED);
        assertThat(h.session()).containsExactly("a", "b");
        assertThat(h.recent()).containsExactly("a", "b");
        assertThat(h.newestMillis()).isEqualTo(MIN);
    }

    @Test
    void shouldStartANewSessionAfterAGapLargerThanSessionGap() {
        UserHistory h = new UserHistory(10, 30 * MIN, MIN);
        h.add("a", 0);
        h.add("b", 10 * MIN);
        assertThat(h.add("c", 40 * MIN)).isEqualTo(ADDED); // a gap of exactly 30 minutes does not split
        assertThat(h.add("d", 71 * MIN)).isEqualTo(STARTED_NEW_SESSION);
        assertThat(h.add("e", 72 * MIN)).isEqualTo(ADDED);

        assertThat(h.session()).containsExactly("d", "e");
        assertThat(h.recent()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void shouldKeepOnlyTheNewestMaxItemsAcrossSessions() {
        UserHistory h = new UserHistory(3, 30 * MIN, MIN);
        h.add("a", 0);
        h.add("b", 1);
        h.add("c", 100 * MIN);
        h.add("d", 100 * MIN + 1);
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.recent()).containsExactly("b", "c", "d");
        assertThat(h.session()).containsExactly("c", "d");
        h.add("e", 100 * MIN + 2);
        h.add("f", 100 * MIN + 3);
        // a session longer than maxItems keeps its newest items
        assertThat(h.recent()).containsExactly("d", "e", "f");
        assertThat(h.session()).containsExactly("d", "e", "f");
    }

    @Test
    void shouldInsertSlightlyLateEventsInTimeOrder() {
        UserHistory h = new UserHistory(10, 30 * MIN, 5 * MIN);
        h.add("a", 0);
        h.add("c", 4 * MIN);
        h.add("d", 6 * MIN);
        assertThat(h.add("b", 2 * MIN)).isEqualTo(ADDED);
        assertThat(h.add("d2", 6 * MIN)).isEqualTo(ADDED); // equal timestamps keep arrival order
        assertThat(h.add("c2", 4 * MIN)).isEqualTo(ADDED);
        assertThat(h.recent()).containsExactly("a", "b", "c", "c2", "d", "d2");
        assertThat(h.timestamps()).isSorted();
    }

    @Test
    void shouldIgnoreAndReportEventsOlderThanTheTolerance() {
        UserHistory h = new UserHistory(10, 30 * MIN, 5 * MIN);
        h.add("a", 10 * MIN);
        h.add("b", 20 * MIN);
        assertThat(h.add("late", 15 * MIN - 1)).isEqualTo(OUT_OF_ORDER_IGNORED);
        assertThat(h.add("justInTime", 15 * MIN)).isEqualTo(ADDED);
        assertThat(h.recent()).containsExactly("a", "justInTime", "b");
    }

    @Test
    void shouldJoinTwoSessionsWhenALateEventFillsTheGap() {
        UserHistory h = new UserHistory(10, 10 * MIN, 15 * MIN);
        h.add("a", 0);
        assertThat(h.add("c", 12 * MIN)).isEqualTo(STARTED_NEW_SESSION);
        assertThat(h.session()).containsExactly("c");
        h.add("b", 6 * MIN);
        assertThat(h.session()).containsExactly("a", "b", "c");
    }

    @Test
    void shouldDropALateEventOlderThanEverythingInAFullHistory() {
        UserHistory h = new UserHistory(2, 30 * MIN, 10 * MIN);
        h.add("b", 5 * MIN);
        h.add("c", 6 * MIN);
        h.add("a", 1 * MIN);
        assertThat(h.recent()).containsExactly("b", "c");
        h.add("b2", 5 * MIN + 1);
        assertThat(h.recent()).containsExactly("b2", "c");
    }

    @Test
    void shouldRoundTripThroughBytes() {
        UserHistory h = new UserHistory(50, 30 * MIN, 2 * MIN);
        Random rnd = new Random(1);
        long t = 1_700_000_000_000L;
        for (int i = 0; i < 80; i++) {
            t += rnd.nextInt(3) == 0 ? 40 * MIN : rnd.nextInt(5 * (int) MIN);
            h.add("item-" + rnd.nextInt(30) + (i % 7 == 0 ? "-é中" : ""), t - rnd.nextInt((int) MIN));
        }
        byte[] bytes = h.toBytes();
        UserHistory back = UserHistory.fromBytes(bytes);

        assertThat(back).isEqualTo(h);
        assertThat(back.hashCode()).isEqualTo(h.hashCode());
        assertThat(back.recent()).isEqualTo(h.recent());
        assertThat(back.session()).isEqualTo(h.session());
        assertThat(back.timestamps()).isEqualTo(h.timestamps());
        assertThat(back.maxItems()).isEqualTo(50);
        assertThat(back.sessionGapMs()).isEqualTo(30 * MIN);
        assertThat(back.outOfOrderToleranceMs()).isEqualTo(2 * MIN);
        // and it keeps working after the round trip
        assertThat(back.add("next", h.newestMillis() + 1)).isEqualTo(ADDED);
        // compact: about 3 bytes of time and 1 of length per item beyond the id itself
        int ids = h.recent().stream().mapToInt(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).sum();
        assertThat(bytes.length).isLessThan(ids + 50 * 5 + 24);
    }

    @Test
    void shouldRoundTripAnEmptyHistoryAndNegativeTimes() {
        UserHistory empty = new UserHistory(5, MIN, 0);
        assertThat(UserHistory.fromBytes(empty.toBytes())).isEqualTo(empty);
        UserHistory h = new UserHistory(5, MIN, 0);
        h.add("x", -5);
        h.add("y", Long.MAX_VALUE);
        assertThat(UserHistory.fromBytes(h.toBytes()).timestamps()).containsExactly(-5, Long.MAX_VALUE);
    }

    @Test
    void shouldRejectBytesThatAreNotAUserHistoryOfThisVersion() {
        UserHistory h = new UserHistory(5, MIN, 0);
        h.add("abc", 1);
        byte[] bytes = h.toBytes();
        assertThatThrownBy(() -> UserHistory.fromBytes(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a readable UserHistoryState");
        byte[] otherVersion = bytes.clone();
        otherVersion[5] ^= 0x55; // the writer schema's fingerprint: a version this reader does not know
        assertThatThrownBy(() -> UserHistory.fromBytes(otherVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UserHistoryState");
        assertThatThrownBy(() -> UserHistory.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UserHistoryState");
        byte[] handMadeFormat = {1, 5, (byte) 0xe0, (byte) 0xd4, 0x03, 0, 1, 2, 3, 'a', 'b', 'c'};
        assertThatThrownBy(() -> UserHistory.fromBytes(handMadeFormat))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UserHistoryState");
    }

    @Test
    void shouldRejectBadSettingsNamingTheParameter() {
        assertThatThrownBy(() -> new UserHistory(0, MIN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxItems must be in [1, 100000], got 0");
        assertThatThrownBy(() -> new UserHistory(5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sessionGapMs must be >= 1, got 0");
        assertThatThrownBy(() -> new UserHistory(5, MIN, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outOfOrderToleranceMs must be >= 0, got -1");
        assertThatThrownBy(() -> new UserHistory(5, MIN, 0).add(null, 0))
                .isInstanceOf(NullPointerException.class).hasMessage("itemId");
    }
}
