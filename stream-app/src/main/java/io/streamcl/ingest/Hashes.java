package io.streamcl.ingest;

import java.nio.charset.StandardCharsets;

/**
 * The project's one string hash (64-bit FNV-1a) and its one 64-bit mixer (the SplitMix64 finaliser,
 * Stafford's variant 13). Hashed features, feature buckets, view seeds, frequency sketches and the
 * bank's own-key check all build on these, so a value hashed in one place means the same in another.
 */
public final class Hashes {
    /** SplitMix64's increment (2^64 / golden ratio): offsets that keep mixed inputs apart. */
    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    public static final long FNV_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV_PRIME = 0x100000001B3L;

    private Hashes() {}

    /** One FNV-1a step: folds {@code v} into {@code h}. */
    public static long fnv1a(long h, int v) {
        return (h ^ v) * FNV_PRIME;
    }

    /** FNV-1a over the UTF-16 chars. */
    public static long fnv1a(String s) {
        long h = FNV_OFFSET;
        for (int i = 0; i < s.length(); i++) {
            h = fnv1a(h, s.charAt(i));
        }
        return h;
    }

    /** FNV-1a over the UTF-8 bytes. */
    public static long fnv1aUtf8(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = fnv1a(h, b & 0xff);
        }
        return h;
    }

    /**
     * FNV-1a over the UTF-16 chars and the length, then {@link #mix64}: every bit of the result depends
     * on every char, so its low bits can be taken modulo a table size.
     */
    public static long hash64(String s) {
        return mix64(fnv1a(s) ^ s.length());
    }

    /** A bijection on 64-bit values that spreads every input bit over the output. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
