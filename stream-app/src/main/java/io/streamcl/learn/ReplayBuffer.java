package io.streamcl.learn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Items waiting to take part in training steps. Each item stays until it has been in
 * {@code usesPerItem} batches, so a finite stream is learned as if over several epochs while only
 * {@code capacity} items are held (Purushwalkam et al. 2022, "The challenges of continuous
 * self-supervised learning": replay lets one pass over a stream match multi-epoch training).
 * Batches are drawn uniformly without repetition, which mixes old and new items.
 *
 * <p>Not thread-safe: one trainer owns it.
 */
public final class ReplayBuffer<T> {

    /** An item with how many batches it has been in before this one (seeds its augmentation). */
    public record Draw<T>(T item, int use) {}

    private static final class Slot<T> {
        final T item;
        final long seq;
        int used;

        Slot(T item, long seq) {
            this.item = item;
            this.seq = seq;
        }
    }

    private final int capacity;
    private final int usesPerItem;
    private final SplittableRandom random;
    private final List<Slot<T>> slots;

    public ReplayBuffer(int capacity, int usesPerItem, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        if (usesPerItem < 1) {
            throw new IllegalArgumentException("usesPerItem must be >= 1, got " + usesPerItem);
        }
        this.capacity = capacity;
        this.usesPerItem = usesPerItem;
        this.random = new SplittableRandom(seed);
        this.slots = new ArrayList<>(capacity);
    }

    public boolean isFull() {
        return slots.size() >= capacity;
    }

    public int size() {
        return slots.size();
    }

    /** Uses still owed to the items held: zero once everything offered has been trained on. */
    public long pendingUses() {
        long n = 0;
        for (Slot<T> s : slots) {
            n += usesPerItem - s.used;
        }
        return n;
    }

    /**
     * @param seq where the item came in the stream (its offer's sequence number): {@link #oldestSeq()} tells
     *     from which item on the stream is still owed training
     * @throws IllegalStateException when full: take a batch first
     */
    public void add(T item, long seq) {
        if (isFull()) {
            throw new IllegalStateException("replay buffer full (" + capacity + "): take a batch first");
        }
        slots.add(new Slot<>(item, seq));
    }

    /** The smallest sequence number of the items held, or {@link Long#MAX_VALUE} when none is. */
    public long oldestSeq() {
        long oldest = Long.MAX_VALUE;
        for (Slot<T> s : slots) {
            oldest = Math.min(oldest, s.seq);
        }
        return oldest;
    }

    /**
     * Draws {@code min(batch, size)} distinct items uniformly; each counts one use, and items that
     * reached their last use leave the buffer.
     */
    public List<Draw<T>> take(int batch) {
        int n = Math.min(batch, slots.size());
        // partial Fisher-Yates: the first n slots become the sample
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(slots.size() - i);
            Slot<T> t = slots.get(i);
            slots.set(i, slots.get(j));
            slots.set(j, t);
        }
        List<Draw<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Slot<T> s = slots.get(i);
            out.add(new Draw<>(s.item, s.used));
            s.used++;
        }
        // evict exhausted slots by swapping with the tail: O(n)
        for (int i = n - 1; i >= 0; i--) {
            if (slots.get(i).used >= usesPerItem) {
                int last = slots.size() - 1;
                slots.set(i, slots.get(last));
                slots.remove(last);
            }
        }
        return out;
    }

    /**
     * Makes room when training cannot keep up: removes the item that has had the most uses (it has
     * been learned from the most) and returns the uses it still had, which are dropped.
     */
    public int evictMostUsed() {
        if (slots.isEmpty()) {
            return 0;
        }
        int best = 0;
        for (int i = 1; i < slots.size(); i++) {
            if (slots.get(i).used > slots.get(best).used) {
                best = i;
            }
        }
        int dropped = usesPerItem - slots.get(best).used;
        int last = slots.size() - 1;
        slots.set(best, slots.get(last));
        slots.remove(last);
        return dropped;
    }

    /** Forgets everything still held (an item too lonely to form a contrastive batch, say). */
    public void clear() {
        slots.clear();
    }
}
