package io.streamcl.learn;

/**
 * How a learner turns a stream into steps: {@code batchSize} pairs per step, drawn from a replay buffer
 * of {@code capacity} items, each item used {@code usesPerItem} times, all draws and views seeded by
 * {@code seed}; the first {@code probeItems} examples also make the fixed probe every snapshot is measured
 * on ({@link ProbeSet}).
 */
public record ReplayPlan(int batchSize, int capacity, int usesPerItem, long seed, int probeItems) {
    /** The probe size when none is given. */
    public static final int DEFAULT_PROBE_ITEMS = 256;

    public ReplayPlan(int batchSize, int capacity, int usesPerItem, long seed) {
        this(batchSize, capacity, usesPerItem, seed, DEFAULT_PROBE_ITEMS);
    }

    public ReplayPlan {
        if (probeItems < 0) {
            throw new IllegalArgumentException("probeItems must be >= 0, got " + probeItems);
        }
        if (batchSize < 2 || capacity < batchSize) {
            throw new IllegalArgumentException("need 2 <= batchSize <= replay capacity, got " + batchSize + ", "
                    + capacity);
        }
        if (usesPerItem < 1) {
            throw new IllegalArgumentException("usesPerItem must be >= 1, got " + usesPerItem);
        }
    }

    /** About how many steps learning {@code items} items in full takes: each of their uses, a batch at a time. */
    public long stepsToLearn(long items) {
        return (items * usesPerItem + batchSize - 1) / batchSize;
    }
}
