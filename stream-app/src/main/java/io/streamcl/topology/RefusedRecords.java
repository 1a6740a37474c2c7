package io.streamcl.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keys of records the broker refused, with its reason, shared by an instance's stream threads. Under
 * exactly-once a refused record aborts its whole transaction, whatever the production handler answers, and
 * its input is read again: the decode step then sees the key here and makes the item a dead letter instead
 * of writing the refused record again, so one bad record costs one aborted transaction, not a partition.
 * Bounded: the oldest keys are forgotten first.
 */
public final class RefusedRecords {
    private static final int MAX_KEYS = 100_000;

    private final Map<String, String> reasons = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_KEYS;
        }
    };

    public synchronized void refused(String key, String reason) {
        reasons.put(key, reason);
    }

    public synchronized Optional<String> reason(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(reasons.get(key));
    }
}
