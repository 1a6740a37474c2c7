package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.PipelineMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongPredicate;

/**
 * A backfill of the whole catalogue, timed while training goes on and fresh items keep coming. The catalogue
 * is filled with {@code items} items first; then a version that none of them is on is pinned, so every embed
 * task re-embeds all its entries; meanwhile fresh items are offered at a fixed rate and timed
 * ({@link FreshItems}). The backfill lasts from the pin until every partition's completion marker for the
 * pinned version has been read: what a consumer of the feed waits for before it swaps in the new index.
 */
public final class BackfillProbe {
    private static final long PROGRESS_NANOS = 10_000_000_000L;

    /** Writes a pin of a version that no catalogue entry is on, to the pipeline's models topic. */
    @FunctionalInterface
    public interface Pin {
        /**
         * @param complete whether a version is complete on every partition, by the markers read so far
         * @return the version pinned; empty while it cannot tell one that no entry is on (asked again)
         */
        OptionalLong pin(BenchPipeline pipeline, LongPredicate complete) throws Exception;
    }

    /**
     * @param items streamed before the pin
     * @param version the version pinned
     * @param reembedded catalogue entries re-embedded from the pin until the backfill completed
     * @param catalogued the ids in the catalogues then, by the markers (the fresh items among them)
     * @param seconds from the pin until every partition had marked the version complete
     * @param stepsPerSecond the trainer's steps per second in those seconds
     * @param fresh the fresh items sent in those seconds
     */
    public record Result(int items, long version, long reembedded, long catalogued, double seconds,
            double stepsPerSecond, LatencyProbe.Result fresh) {
        /** Entries re-embedded per second, while training. */
        public double itemsPerSecond() {
            return reembedded / seconds;
        }
    }

    private BackfillProbe() {}

    /**
     * @param pool items to send, cycled with fresh ids
     * @param freshPerSecond the rate fresh items are offered at during the backfill
     */
    public static Result run(Settings settings, String applicationId, String kind, List<RawItem> pool, int items,
            double freshPerSecond, Pin pin, Duration timeout) throws Exception {
        if (pool.isEmpty() || items < 1 || !(freshPerSecond > 0)) {
            throw new IllegalArgumentException("need items and a positive rate, got " + items + " items from a pool of "
                    + pool.size() + ", fresh ones at " + freshPerSecond + "/s");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BenchPipeline p = BenchPipeline.start(settings, applicationId);
                StatusFollower status = new StatusFollower(p.settings());
                FreshItems fresh = new FreshItems(p, pool)) {
            PipelineMetrics m = p.metrics();
            Runnable progress = progress(m, kind, items);
            fill(p, pool, items);
            await("all " + items + " items embedded", () -> m.itemsEmbedded(kind) >= items, deadline, progress);
            // markers carry milliseconds: one written in the pin's millisecond must not look older than it
            Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long version = pinWhenSettled(p, pin, status, kind, deadline, progress);
            long t0 = System.nanoTime();
            long steps0 = m.steps(kind);
            long reembedded0 = m.backfilled(kind);
            System.out.printf("bench: backfill: v%d pinned; fresh items at %.0f/s until it is complete%n", version,
                    freshPerSecond);
            fresh.start(freshPerSecond);
            await("v" + version + " complete on every partition", () -> status.poll().complete(kind, version, since),
                    deadline, progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long steps = m.steps(kind) - steps0;
            long reembedded = m.backfilled(kind) - reembedded0;
            return new Result(items, version, reembedded, status.poll().items(kind), seconds, steps / seconds,
                    fresh.stop());
        }
    }

    /** Sends the items, the pool cycled under fresh ids; the producer blocks while its buffer is full. */
    private static void fill(BenchPipeline p, List<RawItem> pool, int items) {
        for (int i = 0; i < items; i++) {
            RawItem template = pool.get(i % pool.size());
            p.send(RawItem.newBuilder(template).setId("backfill-" + i).setEventTime(Instant.now()).build());
        }
        p.flush();
    }

    /**
     * Asks {@code pin} until it has pinned. Every promotion while the items came in started a backfill of its
     * own, and the pinned version's is timed alone: from a served version complete on every partition, which
     * also tells that no entry is on any other version.
     */
    private static long pinWhenSettled(BenchPipeline p, Pin pin, StatusFollower status, String kind, long deadline,
            Runnable progress) throws Exception {
        while (true) {
            OptionalLong version = pin.pin(p, v -> status.poll().complete(kind, v, Instant.EPOCH));
            if (version.isPresent()) {
                return version.getAsLong();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("backfill run: no version to pin before the timeout");
            }
            progress.run();
            Thread.sleep(500);
        }
    }

    private static void await(String what, BooleanSupplier done, long deadline, Runnable onPoll)
            throws InterruptedException {
        if (!BenchPipeline.await(done, deadline - System.nanoTime(), onPoll)) {
            throw new IllegalStateException("backfill run: not " + what + " before the timeout");
        }
    }

    /** A line every 10 s, so that a long run shows it is alive. */
    private static Runnable progress(PipelineMetrics m, String kind, int items) {
        long t0 = System.nanoTime();
        long[] last = {t0};
        return () -> {
            long now = System.nanoTime();
            if (now - last[0] < PROGRESS_NANOS) {
                return;
            }
            last[0] = now;
            PipelineMetrics.Backfill b = m.backfill(kind);
            System.out.printf("bench: [%4.0fs] backfill run: embedded %d of %d, serving v%d, %s, %d steps%n",
                    (now - t0) / 1e9, m.itemsEmbedded(kind), items, m.servedVersion(kind),
                    b == null ? "no backfill yet" : "backfill to v" + b.version() + " " + b.done() + " of " + b.total(),
                    m.steps(kind));
        };
    }
}
