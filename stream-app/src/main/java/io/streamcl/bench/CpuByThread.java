package io.streamcl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a process's CPU time went between two moments, by group of Java threads; what no Java thread
 * accounts for (libtorch's own worker threads, the garbage collector, the JIT compiler) is one more group.
 */
public final class CpuByThread {
    /** The group of what is not a Java thread's own time. */
    public static final String NATIVE = "native workers, GC and JIT";

    private final Function<Thread, String> groupOf;
    private final Map<Long, Long> threadStart = new HashMap<>();
    private long processStart;
    private long wallStart;

    /** @param groupOf a live thread's group */
    public CpuByThread(Function<Thread, String> groupOf) {
        this.groupOf = groupOf;
    }

    /** Starts the interval. */
    public void start() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (long id : mx.getAllThreadIds()) {
            threadStart.put(id, Math.max(0, mx.getThreadCpuTime(id)));
        }
        processStart = processCpuNanos();
        wallStart = System.nanoTime();
    }

    /**
     * Ends the interval.
     *
     * @return cores used by each group over the interval (CPU seconds per wall second), largest first
     */
    public Map<String, Double> stop() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double wall = System.nanoTime() - wallStart;
        Map<String, Double> byGroup = new HashMap<>();
        long javaThreads = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long cpu = mx.getThreadCpuTime(t.getId());
            if (cpu < 0) {
                continue;
            }
            long used = cpu - threadStart.getOrDefault(t.getId(), 0L);
            javaThreads += used;
            byGroup.merge(groupOf.apply(t), used / wall, Double::sum);
        }
        byGroup.merge(NATIVE, Math.max(0, processCpuNanos() - processStart - javaThreads) / wall, Double::sum);
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
