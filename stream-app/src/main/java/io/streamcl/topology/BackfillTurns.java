package io.streamcl.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The backfill duty of one stream thread, shared by its tasks: after a task backfills for a while, every task of
 * the thread rests a multiple of that time, so that backfilling takes at most {@code duty} of the thread; and when
 * the rest is over, the task whose last turn is the oldest goes next.
 *
 * <p>Without turns, the task the thread punctuates first found every rest over and took every turn, while the
 * others found the rest it had just begun: a partition waited for its neighbour's whole catalogue (measured: two of
 * four partitions re-embedded about 20 items/s beside 450 while the trainer trained). A task with nothing to
 * backfill takes no turn and starts no rest.
 *
 * <p>Not thread-safe: one instance per stream thread.
 */
final class BackfillTurns {
    /** A task that has not asked for this long is busy with fresh items, or gone: it holds no one back. */
    static final long STALE_NANOS = 1_000_000_000L;

    private final double duty;
    private boolean resting;
    private long restUntil;
    private final Map<Object, Asker> askers = new HashMap<>();

    private static final class Asker {
        long lastTurn = Long.MIN_VALUE;
        long lastAsked;
    }

    /** @param duty the share of the thread's time backfills may take, in (0, 1] */
    BackfillTurns(double duty) {
        if (!(duty > 0 && duty <= 1)) {
            throw new IllegalArgumentException("duty must be in (0, 1], got " + duty);
        }
        this.duty = duty;
    }

    /** Whether {@code task}, which has entries to backfill, may backfill now. */
    boolean mayGo(Object task, long now) {
        Asker me = askers.computeIfAbsent(task, t -> new Asker());
        me.lastAsked = now;
        if (resting && now - restUntil < 0) {
            return false;
        }
        for (Map.Entry<Object, Asker> e : askers.entrySet()) {
            Asker other = e.getValue();
            if (e.getKey() != task && now - other.lastAsked < STALE_NANOS && other.lastTurn < me.lastTurn) {
                return false; // its turn is older than ours
            }
        }
        return true;
    }

    /** {@code task} backfilled from {@code start} to {@code end}: the thread rests in proportion. */
    void went(Object task, long start, long end) {
        askers.computeIfAbsent(task, t -> new Asker()).lastTurn = end;
        restUntil = end + (long) ((end - start) * (1 / duty - 1));
        resting = true;
    }

    /** {@code task} has nothing to backfill (or is closing): it waits for no turn. */
    void done(Object task) {
        askers.remove(task);
    }
}
