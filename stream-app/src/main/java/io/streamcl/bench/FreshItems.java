package io.streamcl.bench;

import io.streamcl.schema.RawItem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Fresh items offered at a fixed rate while the pipeline is busy with something else, each timed with
 * {@link LatencyProbe}'s clock: from handing it to the producer to a {@code read_committed} consumer of the
 * embeddings topic receiving it.
 *
 * <p>The consumer starts with this object and reads everything the embedders publish from then on, so that
 * it has caught up when the timing starts, and, like any consumer of the feed, it reads a backfill's records
 * between the fresh ones. Items go out in chunks of {@link #CHUNK} on one schedule, so that sending can stop
 * between two chunks: the last items were sent at most one chunk's time (CHUNK / rate) after {@link #stop}.
 */
final class FreshItems implements AutoCloseable {
    private static final int CHUNK = 20;
    private static final Duration LAST_ITEMS = Duration.ofSeconds(60);

    private final BenchPipeline pipeline;
    private final List<RawItem> pool;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stopReading = new AtomicBoolean();
    private final AtomicBoolean stopSending = new AtomicBoolean();
    private final Thread reader;
    private Thread sender;
    private double perSecond;
    private volatile int sent;

    /** @param pool items to send, cycled with fresh ids */
    FreshItems(BenchPipeline pipeline, List<RawItem> pool) {
        this.pipeline = pipeline;
        this.pool = pool;
        reader = new Thread(() -> LatencyProbe.read(pipeline.settings(), sentAt, latencies, stopReading),
                "fresh-items-reader");
        reader.start();
    }

    /** Starts offering items at the rate, on a thread of its own. */
    void start(double rate) {
        perSecond = rate;
        sender = new Thread(this::offer, "fresh-items-sender");
        sender.start();
    }

    private void offer() {
        long chunkNanos = Math.round(CHUNK * 1e9 / perSecond);
        long t0 = System.nanoTime();
        for (int k = 0; !stopSending.get(); k++) {
            LockSupport.parkNanos(t0 + k * chunkNanos - System.nanoTime());
            // other images in each chunk: the trainer learns from them too
            int from = k * CHUNK % pool.size();
            List<RawItem> chunk = pool.subList(from, Math.min(from + CHUNK, pool.size()));
            sent += LatencyProbe.send(pipeline, chunk, perSecond, Duration.ofNanos(chunkNanos), "fresh-" + k + "-",
                    sentAt);
        }
    }

    /**
     * Stops sending after the chunk under way, and waits until every item sent has been read back.
     *
     * @return the latencies of all the items sent
     */
    LatencyProbe.Result stop() throws InterruptedException {
        stopSending.set(true);
        if (sender != null) {
            sender.join();
        }
        pipeline.flush();
        if (!BenchPipeline.await(() -> latencies.size() >= sent, LAST_ITEMS.toNanos(), () -> { })) {
            throw new IllegalStateException("only " + latencies.size() + " of " + sent + " fresh items were embedded"
                    + " within " + LAST_ITEMS.toSeconds() + " s of the last");
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new LatencyProbe.Result(perSecond, sorted.length, sorted);
    }

    @Override
    public void close() throws InterruptedException {
        stopSending.set(true);
        stopReading.set(true);
        if (sender != null) {
            sender.join();
        }
        reader.join();
    }
}
