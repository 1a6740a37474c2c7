package io.streamcl.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The indexes of one kind of embedding: the one of its newest complete version, which every search reads, and
 * those of newer versions that the feed is filling (a backfill under way). When a newer version completes, its
 * index, filled in the meantime, takes over at once; older ones are dropped. A vector goes only into the index of
 * its own version, so no search ever sees two versions.
 *
 * <p>The index it hands over from stays open until the next hand-over, so that a search that took it just before
 * finishes on it. Thread-safe.
 */
public final class VersionedIndexes implements AutoCloseable {
    /** Versions newer than the complete one being filled at a time; a backfill that never ends costs no more. */
    static final int MAX_FILLING = 2;

    private final TreeMap<Long, VersionIndex> filling = new TreeMap<>();
    private volatile VersionIndex complete;
    private VersionIndex retired;

    /**
     * Files the id's vector under its version: into the complete index when it is of that version, into a
     * filling one when newer, nowhere when older (the feed has moved past it).
     *
     * @throws IllegalArgumentException for a vector the index refuses ({@link VersionIndex#put})
     */
    public synchronized void put(String id, int partition, String model, long version, float[] vector) {
        VersionIndex current = complete;
        if (current != null && version < current.version()) {
            return;
        }
        indexFor(version).put(id, partition, model, vector);
    }

    private VersionIndex indexFor(long version) {
        VersionIndex current = complete;
        if (current != null && current.version() == version) {
            return current;
        }
        VersionIndex index = filling.get(version);
        if (index == null) {
            index = new VersionIndex(version);
            filling.put(version, index);
            while (filling.size() > MAX_FILLING) {
                filling.pollFirstEntry().getValue().close();
            }
        }
        return index;
    }

    /** The id is gone from the feed: from every version. */
    public synchronized void remove(String id) {
        all().forEach(i -> i.remove(id));
    }

    public synchronized void removePartition(int partition) {
        all().forEach(i -> i.removePartition(partition));
    }

    /**
     * The version is complete in the feed: its index becomes the one searched (an empty one when no vector of it
     * came here), unless a newer one already is.
     *
     * @return whether the searched index changed
     */
    public synchronized boolean completed(long version) {
        VersionIndex current = complete;
        if (current != null && current.version() >= version) {
            return false;
        }
        VersionIndex next = indexFor(version);
        filling.remove(version);
        next.refresh();
        complete = next;
        if (retired != null) {
            retired.close();
        }
        retired = current;
        for (Map.Entry<Long, VersionIndex> e : new ArrayList<>(filling.headMap(version).entrySet())) {
            filling.remove(e.getKey()).close();
        }
        return true;
    }

    /** The index of the newest complete version; empty until one completes. */
    public Optional<VersionIndex> complete() {
        return Optional.ofNullable(complete);
    }

    /**
     * Makes the writes so far visible to searches. Only the complete index is searched: one being filled is made
     * visible when it completes. Each refresh of an index being filled would write its latest vectors out as a
     * small segment, and Lucene then merges those segments, rebuilding their graphs, while the backfill of a
     * catalogue is under way.
     */
    public synchronized void refresh() {
        VersionIndex current = complete;
        if (current != null) {
            current.refresh();
        }
    }

    /** The versions being filled, oldest first. */
    public synchronized List<Long> filling() {
        return List.copyOf(filling.keySet());
    }

    private List<VersionIndex> all() {
        List<VersionIndex> all = new ArrayList<>(filling.values());
        if (complete != null) {
            all.add(complete);
        }
        return all;
    }

    @Override
    public synchronized void close() {
        all().forEach(VersionIndex::close);
        filling.clear();
        if (retired != null) {
            retired.close();
        }
        complete = null;
        retired = null;
    }
}
