package io.streamcl.bench;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Distinct ids of the form {@code <prefix><n>} seen so far, one bit each; any other id is not counted. Added
 * to by one thread, counted by any.
 */
final class DistinctIds {
    private final String prefix;
    private final BitSet seen = new BitSet();
    private final AtomicLong count = new AtomicLong();

    DistinctIds(String prefix) {
        this.prefix = prefix;
    }

    /** @return whether the id is one of ours, seen for the first time */
    boolean add(String id) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
            return false;
        }
        int n;
        try {
            n = Integer.parseInt(id, prefix.length(), id.length(), 10);
        } catch (NumberFormatException notOurs) {
            return false;
        }
        if (n < 0 || seen.get(n)) {
            return false;
        }
        seen.set(n);
        count.incrementAndGet();
        return true;
    }

    long count() {
        return count.get();
    }
}
