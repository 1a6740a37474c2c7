package io.streamcl.augment;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Deterministic random generators for augmentation: the views of an item depend only on the run seed,
 * the item id, how many times the item has been seen and which view is asked for, so a replay of the
 * same stream gives the same views whatever the thread, partition or batch.
 */
public final class Seeds {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private Seeds() {}

    /**
     * A generator for one view of one occurrence of an item.
     *
     * <p>Each input is folded in with a bijective 64-bit mix, so for a fixed (seed, id, occurrence) every
     * view gets a different stream, and different ids differ unless their 64-bit hashes collide.
     *
     * @param seed the run seed
     * @param itemId the item's id (not null)
     * @param occurrence how many times this id was seen before (0 the first time)
     * @param view which view of this occurrence (0 and 1 for a pair)
     */
    public static SplittableRandom forView(long seed, String itemId, long occurrence, int view) {
        Objects.requireNonNull(itemId, "itemId");
        long h = mix64(seed ^ GOLDEN_GAMMA);
        h = mix64(h ^ hash64(itemId));
        h = mix64(h ^ (occurrence + GOLDEN_GAMMA));
        h = mix64(h ^ ((long) view + 2 * GOLDEN_GAMMA));
        return new SplittableRandom(h);
    }

    /** A 64-bit hash of a string: FNV-1a over its UTF-16 chars and its length, then a final mix. */
    static long hash64(String s) {
        long h = FNV_OFFSET;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * FNV_PRIME;
        }
        return mix64(h ^ s.length());
    }

    /** The SplitMix64 finaliser (Stafford's variant 13): a bijection on 64-bit values. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
