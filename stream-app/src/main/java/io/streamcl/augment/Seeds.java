package io.streamcl.augment;

import io.streamcl.ingest.Hashes;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Deterministic random generators for augmentation: the views of an item depend only on the run seed,
 * the item id, how many times the item has been seen and which view is asked for, so a replay of the
 * same stream gives the same views whatever the thread, partition or batch.
 */
public final class Seeds {


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
        long h = Hashes.mix64(seed ^ Hashes.GOLDEN_GAMMA);
        h = Hashes.mix64(h ^ Hashes.hash64(itemId));
        h = Hashes.mix64(h ^ (occurrence + Hashes.GOLDEN_GAMMA));
        h = Hashes.mix64(h ^ ((long) view + 2 * Hashes.GOLDEN_GAMMA));
        return new SplittableRandom(h);
    }

}
