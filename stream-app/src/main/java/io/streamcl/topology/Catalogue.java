package io.streamcl.topology;

import io.streamcl.schema.CatalogueEntry;
import io.streamcl.schema.serde.LittleEndianFloats;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What one embed task has published, per id: the encoder input it came from (decoded once), so that every
 * newly served version can re-embed the whole catalogue. Keys are {@code <model kind>|<id>}, so a kind's
 * entries are one key range. Three changelogged stores: the entries (written when an item arrives), the
 * version each was last published under (rewritten by every backfill, so small), and their arrival order
 * (sequence number to key), by which the least recently sent entry is evicted first when the catalogue is
 * over its size or age.
 */
final class Catalogue {
    private static final char SEPARATOR = '|';
    /** The version of an entry that waits to be embedded (it arrived, or arrived again). */
    static final long WAITING = -1;

    private final KeyValueStore<String, CatalogueEntry> entries;
    private final KeyValueStore<String, Long> versions;
    private final KeyValueStore<Long, String> order;
    private final long maxItems;
    private final long maxAgeMillis;
    private final Runnable onEvicted;
    private final Map<String, Long> counts = new HashMap<>();
    private long size;
    private long nextSeen;

    /**
     * @param maxAgeMillis entries not sent again for this long are evicted; 0: no age limit
     * @param onEvicted told of every eviction
     */
    Catalogue(KeyValueStore<String, CatalogueEntry> entries, KeyValueStore<String, Long> versions,
            KeyValueStore<Long, String> order, long maxItems, long maxAgeMillis, Runnable onEvicted) {
        this.entries = entries;
        this.versions = versions;
        this.order = order;
        this.maxItems = maxItems;
        this.maxAgeMillis = maxAgeMillis;
        this.onEvicted = onEvicted;
        try (KeyValueIterator<Long, String> it = order.all()) { // keys come back in sequence order
            while (it.hasNext()) {
                KeyValue<Long, String> kv = it.next();
                counts.merge(modelKind(kv.value), 1L, Long::sum);
                size++;
                nextSeen = kv.key + 1;
            }
        }
    }

    static String key(String modelKind, String id) {
        return modelKind + SEPARATOR + id;
    }

    static String modelKind(String key) {
        return key.substring(0, key.indexOf(SEPARATOR));
    }

    static String id(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    /** Adds or replaces an item that was just sent, waiting to be embedded; evicts past the size limit. */
    void arrived(String key, String embeddingKind, float[] input, Instant eventTime, Instant now) {
        CatalogueEntry old = entries.get(key);
        if (old != null) {
            order.delete(old.getSeen());
        } else {
            counts.merge(modelKind(key), 1L, Long::sum);
            size++;
        }
        long seen = nextSeen++;
        entries.put(key, CatalogueEntry.newBuilder().setKind(embeddingKind).setInput(LittleEndianFloats.toBytes(input))
                .setEventTime(eventTime).setSeen(seen).setSeenTime(now).build());
        versions.put(key, WAITING);
        order.put(seen, key);
        while (size > maxItems) {
            evictOldest();
        }
    }

    /** Evicts entries not sent again within the age limit. */
    void evictExpired(Instant now) {
        if (maxAgeMillis <= 0) {
            return;
        }
        while (size > 0) {
            String oldest;
            try (KeyValueIterator<Long, String> it = order.all()) {
                oldest = it.hasNext() ? it.next().value : null;
            }
            CatalogueEntry e = oldest == null ? null : entries.get(oldest);
            if (e == null || now.toEpochMilli() - e.getSeenTime().toEpochMilli() < maxAgeMillis) {
                return;
            }
            evictOldest();
        }
    }

    private void evictOldest() {
        KeyValue<Long, String> oldest;
        try (KeyValueIterator<Long, String> it = order.all()) {
            oldest = it.hasNext() ? it.next() : null;
        }
        if (oldest == null) {
            return;
        }
        order.delete(oldest.key);
        entries.delete(oldest.value);
        versions.delete(oldest.value);
        counts.merge(modelKind(oldest.value), -1L, Long::sum);
        size--;
        onEvicted.run();
    }

    CatalogueEntry get(String key) {
        return entries.get(key);
    }

    /** Records that the entry's embedding went out under this version. */
    void published(String key, long version) {
        versions.put(key, version);
    }

    /**
     * The version each of a kind's entries was last published under ({@link #WAITING}: not yet), for the
     * keys after the given one (from its first when null), in key order.
     */
    KeyValueIterator<String, Long> versionsAfter(String modelKind, String cursor) {
        String from = cursor == null ? modelKind + SEPARATOR : cursor + '\0';
        return versions.range(from, modelKind + (char) (SEPARATOR + 1));
    }

    long count(String modelKind) {
        return counts.getOrDefault(modelKind, 0L);
    }

    static float[] input(CatalogueEntry e) {
        return LittleEndianFloats.fromBytes(e.getInput());
    }
}
