package io.streamcl.serve;

import io.streamcl.schema.Embedding;
import io.streamcl.topology.EmbeddingUpdates;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the stream threads leave the embeddings they store, for the index feeder to take: a bounded queue, so
 * that a feeder that falls behind costs no more memory. When it is full, the update is dropped and the queue
 * remembers it, so that the feeder reads the stores again instead of serving an index that misses it.
 */
final class EmbeddingUpdateQueue implements EmbeddingUpdates {
    /** One update as the store got it; {@code embedding} null for a removed id. */
    record Update(int partition, String id, Embedding embedding) {}

    private final BlockingQueue<Update> queue;
    private final AtomicBoolean overflowed = new AtomicBoolean();

    EmbeddingUpdateQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public void updated(int partition, String id, Embedding embedding) {
        if (!queue.offer(new Update(partition, id, embedding))) {
            overflowed.set(true); // a stream thread never waits for the index
        }
    }

    /** Everything queued so far. */
    List<Update> drain() {
        List<Update> taken = new ArrayList<>();
        queue.drainTo(taken);
        return taken;
    }

    /** Whether an update was dropped since the last call (then the stores must be read again). */
    boolean takeOverflow() {
        return overflowed.getAndSet(false);
    }
}
