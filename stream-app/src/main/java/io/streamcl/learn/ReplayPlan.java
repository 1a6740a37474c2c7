package io.streamcl.learn;

/**
 * How a learner turns a stream into steps: {@code batchSize} pairs per step, drawn from a replay buffer
 * of {@code capacity} items, each item used {@code usesPerItem} times, all draws and views seeded by
 * {@code seed}.
 */
public record ReplayPlan(int batchSize, int capacity, int usesPerItem, long seed) {
    public ReplayPlan {
        if (batchSize < 2 || capacity < batchSize) {
            throw new IllegalArgumentException("need 2 <= batchSize <= replay capacity, got " + batchSize + ", "
                    + capacity);
        }
        if (usesPerItem < 1) {
            throw new IllegalArgumentException("usesPerItem must be >= 1, got " + usesPerItem);
        }
    }
}
