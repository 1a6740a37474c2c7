package io.streamcl.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stream thread's tasks take turns at backfilling, and together rest as the duty says: the task punctuated first
 * must not take every turn.
 */
class BackfillTurnsTest {
    private static final long MS = 1_000_000L;
    /** A stream thread punctuates its tasks every 100 ms. */
    private static final long PUNCTUATION = 100 * MS;
    /** A slice: one forward pass. */
    private static final long SLICE = 15 * MS; // one forward pass; with its rest, inside a punctuation

    @Test
    void shouldGiveTwoTasksTurnsInTurn() {
        List<String> went = punctuate(new BackfillTurns(0.2), List.of("first", "second"), 10);

        assertThat(went).as("who backfilled, punctuation by punctuation").containsExactly("first", "second",
                "first", "second", "first", "second", "first", "second", "first", "second");
    }

    @Test
    void shouldGiveEachOfThreeTasksATurnInThree() {
        List<String> went = punctuate(new BackfillTurns(0.2), List.of("a", "b", "c"), 9);

        assertThat(went).containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c");
    }

    @Test
    void shouldRestTheWholeThreadInProportionToTheLastTurn() {
        BackfillTurns turns = new BackfillTurns(0.2);
        Object a = "a";
        Object b = "b";
        assertThat(turns.mayGo(a, 0)).isTrue();
        turns.went(a, 0, SLICE); // a fifth of the time: then four times as long at rest
        assertThat(turns.mayGo(b, SLICE + 4 * SLICE - 1)).isFalse();
        assertThat(turns.mayGo(b, SLICE + 4 * SLICE)).isTrue();
    }

    @Test
    void shouldHoldNoOneBackForATaskThatHasNothingLeftOrStoppedAsking() {
        BackfillTurns turns = new BackfillTurns(0.2);
        Object a = "a";
        Object b = "b";
        assertThat(turns.mayGo(a, 0)).isTrue();
        turns.went(a, 0, SLICE);
        long later = SLICE * 10;
        assertThat(turns.mayGo(b, later)).isTrue(); // b has waited since the start, never took a turn: b goes
        turns.went(b, later, later + SLICE);
        turns.done(b); // its catalogue is done
        long after = later + SLICE * 10;
        assertThat(turns.mayGo(a, after)).as("no one else asks").isTrue();
        turns.went(a, after, after + SLICE);

        Object c = "c";
        long t = after + SLICE * 10;
        assertThat(turns.mayGo(c, t)).isTrue(); // c's first turn is older than a's
        turns.went(c, t, t + SLICE);
        // c is then busy with fresh items and does not ask again: after a while, it holds a back no longer
        assertThat(turns.mayGo(a, t + SLICE * 10)).as("a's turn is older").isTrue();
        turns.went(a, t + SLICE * 10, t + SLICE * 11);
        long stale = t + SLICE + BackfillTurns.STALE_NANOS;
        assertThat(turns.mayGo(a, stale)).as("c last asked over a second ago").isTrue();
    }

    @Test
    void shouldRefuseADutyOutsideZeroToOne() {
        assertThatThrownBy(() -> new BackfillTurns(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackfillTurns(1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Punctuates the tasks in a fixed order, as a stream thread does, each slice taking {@link #SLICE}. */
    private static List<String> punctuate(BackfillTurns turns, List<String> tasks, int rounds) {
        List<String> went = new ArrayList<>();
        long now = 0;
        for (int round = 0; round < rounds; round++) {
            for (String task : tasks) {
                if (turns.mayGo(task, now)) {
                    turns.went(task, now, now + SLICE);
                    went.add(task);
                    now += SLICE;
                }
                now += MS / 10; // the rest of the task's punctuation
            }
            now = (round + 1) * PUNCTUATION;
        }
        return went;
    }
}
