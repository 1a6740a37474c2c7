package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's {@link NeighbourIndexes} following the feed, on a thread of its own: a partition that
 * arrives is read whole from its store (a restored store is not replayed through the updates), one that leaves is
 * dropped, every stored embedding in between comes through the {@link EmbeddingUpdateQueue}, and a version is
 * handed over to when the completion markers say it is complete. Nothing here can stop the stream: a vector the
 * index refuses is logged and left out.
 */
final class IndexFeeder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexFeeder.class);

    private final IndexedFeed feed;
    private final EmbeddingUpdateQueue updates;
    private final NeighbourIndexes indexes;
    private final Duration every;
    private final Set<Integer> read = new HashSet<>(); // partitions whose stores were read whole
    private final Thread thread;
    private volatile boolean running = true;

    IndexFeeder(IndexedFeed feed, EmbeddingUpdateQueue updates, NeighbourIndexes indexes, Duration every) {
        this.feed = feed;
        this.updates = updates;
        this.indexes = indexes;
        this.every = every;
        this.thread = new Thread(this::loop, "neighbour-index");
        thread.setDaemon(true);
    }

    IndexFeeder start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                step();
            } catch (RuntimeException e) { // a store that moved under it, a rebalance: the next step tries again
                LOG.debug("the neighbour index missed a step: {}", e.toString());
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: partitions, updates, completed versions, then what was written made searchable. */
    void step() {
        if (updates.takeOverflow()) {
            LOG.warn("the neighbour index fell behind the feed: reading its stores again");
            read.clear();
        }
        Set<Integer> local = feed.localPartitions();
        for (Integer gone : Set.copyOf(read)) {
            if (!local.contains(gone)) {
                read.remove(gone);
                indexes.uncover(gone);
                indexes.all().forEach(i -> i.removePartition(gone));
            }
        }
        List<EmbeddingUpdateQueue.Update> queued = updates.drain(); // before the reads: they hold what came before
        for (Integer partition : local) {
            if (!read.contains(partition)) {
                feed.forEachEmbedding(partition, (id, e) -> put(partition, id, e));
                read.add(partition);
                indexes.cover(partition);
            }
        }
        for (EmbeddingUpdateQueue.Update u : queued) {
            if (local.contains(u.partition())) {
                put(u.partition(), u.id(), u.embedding());
            }
        }
        for (Map.Entry<String, Long> complete : feed.completeVersions().entrySet()) {
            if (indexes.of(complete.getKey()).completed(complete.getValue())) {
                LOG.info("neighbours of kind {} now come from version {}", complete.getKey(), complete.getValue());
            }
        }
        indexes.all().forEach(i -> i.refresh());
    }

    private void put(int partition, String id, Embedding e) {
        if (e == null) {
            indexes.all().forEach(i -> i.remove(id));
            return;
        }
        float[] vector = new float[e.getVector().size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = e.getVector().get(i);
        }
        try {
            indexes.of(e.getKind()).put(id, partition, e.getModel().getName(), e.getModel().getVersion(), vector);
        } catch (IllegalArgumentException refused) {
            LOG.warn("embedding {} is left out of the neighbour index: {}", id, refused.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
