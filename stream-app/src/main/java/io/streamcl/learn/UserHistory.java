package io.streamcl.learn;

import io.streamcl.schema.serde.AvroCodec;
import io.streamcl.schema.state.UserHistoryState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One user's recent items in time order, bounded, split into sessions: the state the event learner keeps
 * per user (in a Kafka state store, hence {@link #toBytes()}).
 *
 * <p>Events arrive roughly in time order. One older than the newest event by more than
 * {@code outOfOrderToleranceMs} is ignored ({@link Outcome#OUT_OF_ORDER_IGNORED}): it would rewrite a
 * history already used for training. A later one within the tolerance is inserted at its place in time
 * (after events with the same timestamp).
 *
 * <p>Sessions: a gap of more than {@code sessionGapMs} between two consecutive events starts a new
 * session. Items of earlier sessions are kept (they still describe the user, e.g. for a user vector, and
 * cost nothing extra): {@link #recent()} is the newest {@code maxItems} items across sessions, and
 * {@link #session()} the part of them after the last such gap. Positive pairs should come from
 * {@link #session()}, since items of one visit share an intent that a visit a week later may not. Sessions
 * are derived from the kept timestamps, so a late event that fills a gap joins two sessions into one, as
 * it would have had it arrived in time. When the history is full the oldest item is dropped, so a session
 * longer than {@code maxItems} is truncated to its newest items.
 *
 * <p>Not thread-safe; each instance belongs to one stream task.
 */
public final class UserHistory {

    /** What {@link #add} did with an event. */
    public enum Outcome {
        /** Added to the current session (or, when late, at its place in time). */
        ADDED,
        /** Added as the first event of a new session: the history was empty, or the gap to the newest
         * event is more than sessionGapMs. The session before it, if any, is complete. */
        STARTED_NEW_SESSION,
        /** Not added: older than the newest event by more than outOfOrderToleranceMs. */
        OUT_OF_ORDER_IGNORED
    }

    /** The largest maxItems: a history is rewritten on every event, so it must stay small. */
    public static final int MAX_ITEMS_LIMIT = 100_000;

    private static final AvroCodec<UserHistoryState> STATE = AvroCodec.of(UserHistoryState.class);

    private final int maxItems;
    private final long sessionGapMs;
    private final long outOfOrderToleranceMs;
    private String[] items;
    private long[] times;
    private int size;

    /**
     * An empty history.
     *
     * @param maxItems the most items kept, in [1, {@value #MAX_ITEMS_LIMIT}]
     * @param sessionGapMs a gap larger than this starts a new session, >= 1 (e.g. 30 minutes)
     * @param outOfOrderToleranceMs how much older than the newest event a late event may be, >= 0
     */
    public UserHistory(int maxItems, long sessionGapMs, long outOfOrderToleranceMs) {
        if (maxItems < 1 || maxItems > MAX_ITEMS_LIMIT) {
            throw new IllegalArgumentException("maxItems must be in [1, " + MAX_ITEMS_LIMIT + "], got " + maxItems);
        }
        if (sessionGapMs < 1) {
            throw new IllegalArgumentException("sessionGapMs must be >= 1, got " + sessionGapMs);
        }
        if (outOfOrderToleranceMs < 0) {
            throw new IllegalArgumentException("outOfOrderToleranceMs must be >= 0, got " + outOfOrderToleranceMs);
        }
        this.maxItems = maxItems;
        this.sessionGapMs = sessionGapMs;
        this.outOfOrderToleranceMs = outOfOrderToleranceMs;
        int initial = Math.min(maxItems, 8);
        this.items = new String[initial];
        this.times = new long[initial];
    }

    public int maxItems() {
        return maxItems;
    }

    public long sessionGapMs() {
        return sessionGapMs;
    }

    public long outOfOrderToleranceMs() {
        return outOfOrderToleranceMs;
    }

    /** Items kept, at most maxItems. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * Records an event. A late event older than every kept item of a full history is dropped at once (it
     * would be the oldest), though the outcome is still {@link Outcome#ADDED}.
     *
     * @param itemId not null
     * @param timestampMillis the event time
     */
    public Outcome add(String itemId, long timestampMillis) {
        Objects.requireNonNull(itemId, "itemId");
        if (size == 0) {
            insert(0, itemId, timestampMillis);
            return Outcome.STARTED_NEW_SESSION;
        }
        long newest = times[size - 1];
        if (timestampMillis >= newest) {
            boolean gap = timestampMillis - newest > sessionGapMs;
            insert(size, itemId, timestampMillis);
            return gap ? Outcome.STARTED_NEW_SESSION : Outcome.ADDED;
        }
        if (newest - timestampMillis > outOfOrderToleranceMs) {
            return Outcome.OUT_OF_ORDER_IGNORED;
        }
        int at = size;
        while (at > 0 && times[at - 1] > timestampMillis) {
            at--;
        }
        insert(at, itemId, timestampMillis);
        return Outcome.ADDED;
    }

    /** Inserts at {@code at} (0..size), then drops the oldest item if over maxItems. */
    private void insert(int at, String itemId, long t) {
        if (size == maxItems) {
            if (at == 0) {
                return; // older than everything kept in a full history: it would be dropped at once
            }
            // drop the oldest, shifting [1, at) down by one, and put the new item at at - 1
            System.arraycopy(items, 1, items, 0, at - 1);
            System.arraycopy(times, 1, times, 0, at - 1);
            items[at - 1] = itemId;
            times[at - 1] = t;
            return;
        }
        if (size == items.length) {
            int capacity = (int) Math.min(maxItems, 2L * items.length);
            items = Arrays.copyOf(items, capacity);
            times = Arrays.copyOf(times, capacity);
        }
        System.arraycopy(items, at, items, at + 1, size - at);
        System.arraycopy(times, at, times, at + 1, size - at);
        items[at] = itemId;
        times[at] = t;
        size++;
    }

    /** The current session's items, oldest first: the kept items after the last gap > sessionGapMs. */
    public List<String> session() {
        return List.of(Arrays.copyOfRange(items, sessionStart(), size));
    }

    /** Every kept item (up to maxItems, across sessions), oldest first. */
    public List<String> recent() {
        return List.of(Arrays.copyOf(items, size));
    }

    /** The timestamps of {@link #recent()}, oldest first. */
    public long[] timestamps() {
        return Arrays.copyOf(times, size);
    }

    /** The newest event's time; Long.MIN_VALUE when empty. */
    public long newestMillis() {
        return size == 0 ? Long.MIN_VALUE : times[size - 1];
    }

    private int sessionStart() {
        int i = size - 1;
        while (i > 0 && times[i] - times[i - 1] <= sessionGapMs) {
            i--;
        }
        return Math.max(i, 0);
    }

    /** The history as a {@link UserHistoryState}, settings included. */
    public byte[] toBytes() {
        List<Long> deltas = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            deltas.add(i == 0 ? times[0] : times[i] - times[i - 1]);
        }
        return STATE.encode(new UserHistoryState(maxItems, sessionGapMs, outOfOrderToleranceMs, recent(), deltas));
    }

    /**
     * Reads what {@link #toBytes()} wrote, settings included.
     *
     * @throws IllegalArgumentException if the bytes are not such a history
     */
    public static UserHistory fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        UserHistoryState saved = STATE.decode(bytes);
        List<String> items = saved.getItems();
        List<Long> deltas = saved.getTimeDeltas();
        if (saved.getMaxItems() > MAX_ITEMS_LIMIT || items.size() > saved.getMaxItems()
                || deltas.size() != items.size()) {
            throw new IllegalArgumentException("not a UserHistory: " + items.size() + " items and " + deltas.size()
                    + " times, for at most " + saved.getMaxItems());
        }
        UserHistory h = new UserHistory(saved.getMaxItems(), saved.getSessionGapMs(),
                saved.getOutOfOrderToleranceMs());
        int size = items.size();
        h.items = new String[Math.max(size, Math.min(h.maxItems, 8))];
        h.times = new long[h.items.length];
        for (int i = 0; i < size; i++) {
            h.items[i] = items.get(i);
            h.times[i] = i == 0 ? deltas.get(0) : h.times[i - 1] + deltas.get(i);
        }
        h.size = size;
        return h;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof UserHistory h)) {
            return false;
        }
        return maxItems == h.maxItems && sessionGapMs == h.sessionGapMs
                && outOfOrderToleranceMs == h.outOfOrderToleranceMs && size == h.size
                && Arrays.equals(items, 0, size, h.items, 0, size) && Arrays.equals(times, 0, size, h.times, 0, size);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(maxItems, sessionGapMs, outOfOrderToleranceMs, size);
        for (int i = 0; i < size; i++) {
            h = 31 * h + items[i].hashCode();
            h = 31 * h + Long.hashCode(times[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "UserHistory{maxItems=" + maxItems + ", sessionGapMs=" + sessionGapMs + ", outOfOrderToleranceMs="
                + outOfOrderToleranceMs + ", recent=" + recent() + ", session=" + session() + "}";
    }
}
