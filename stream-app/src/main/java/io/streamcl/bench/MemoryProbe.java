package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.PipelineMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory as items keep coming: the process's resident set (Java heap, native tensors, the broker, all of
 * it) and the live Java heap after a full collection, at given item counts. A native tensor that is never
 * closed shows in the resident set only, which is why both are read.
 *
 * <p>Items go in as fast as the pipeline embeds them (never more than {@code AHEAD} ahead), with training
 * on: once the trainer is {@code replay.max-backlog} items behind it samples, so its queue stops growing.
 */
public final class MemoryProbe {
    private static final int AHEAD = 2_000;

    /** Memory once {@code items} items were embedded. */
    public record Sample(long items, long residentBytes, long heapBytes) {}

    private MemoryProbe() {}

    /**
     * @param pool items to send, cycled with fresh ids
     * @param at item counts to sample at, ascending
     */
    public static List<Sample> run(Settings settings, String applicationId, String kind, List<RawItem> pool, long[] at,
            Duration timeout) throws InterruptedException {
        List<Sample> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (BenchPipeline p = BenchPipeline.start(settings, applicationId)) {
            PipelineMetrics m = p.metrics();
            long sent = 0;
            for (long target : at) {
                while (m.itemsEmbedded(kind) < target) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("memory run: only " + m.itemsEmbedded(kind) + " of " + target
                                + " items embedded within " + timeout.toSeconds() + " s");
                    }
                    while (sent < target && sent - m.itemsEmbedded(kind) < AHEAD) {
                        RawItem template = pool.get((int) (sent % pool.size()));
                        p.send(RawItem.newBuilder(template).setId("mem-" + sent).setEventTime(Instant.now()).build());
                        sent++;
                    }
                    Thread.sleep(20);
                }
                out.add(measure(target));
                System.out.printf("bench: memory after %d items: resident %d MiB, live heap %d MiB%n", target,
                        out.get(out.size() - 1).residentBytes() >> 20, out.get(out.size() - 1).heapBytes() >> 20);
            }
        }
        return out;
    }

    private static Sample measure(long items) throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return new Sample(items, residentBytes(), liveHeapBytes());
    }

    /**
     * What the heap held just after the last collection, summed over its pools. Not the heap's use when it
     * is read: the pipeline keeps allocating meanwhile (tens of MiB in the 200 ms after a collection).
     */
    static long liveHeapBytes() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            live += afterGc == null ? 0 : afterGc.getUsed();
        }
        return live;
    }

    /** VmRSS of this process (Linux); -1 where /proc is not there. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
