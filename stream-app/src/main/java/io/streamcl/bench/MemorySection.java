package io.streamcl.bench;

import static io.streamcl.bench.SectionReport.f1;

import io.streamcl.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The learner's memory, in a process of its own, sampled as items keep coming: it must stay flat. */
public final class MemorySection {
    /** The trainer's backlog: small, so that it samples from early on. */
    static final int SAMPLED_BACKLOG = 1024;
    private static final String JAVA_HEAP = "Java Heap";
    /** The categories of the JVM's summary that are shown; the others are summed as the rest. */
    private static final List<String> NMT_CATEGORIES = List.of(JAVA_HEAP, "Class", "Thread", "Code", "GC", "Compiler",
            "Internal", "Other", "Symbol");

    private MemorySection() {}

    /**
     * @param items streamed in all, sampled at 10%, 25%, 50%, 75% and 100%
     * @param learnerHeap the learner's -Xmx; blank: the JVM's default
     */
    public static SectionReport measure(BenchRun run, int items, String learnerHeap) throws InterruptedException,
            IOException {
        long first = items / 10;
        long[] at = {first, items / 4, items / 2, items * 3L / 4, items};
        Path log = Files.createTempFile("streamcl-bench-learner-", ".log");
        System.out.printf("bench: memory over %d images, the learner in a process of its own (its log: %s)%n",
                items, log);
        // a bounded queue filling up is not a leak: let the trainer start sampling long before the first sample
        Settings s = run.settings().with(Map.of(Settings.REPLAY_MAX_BACKLOG.name(), Long.toString(SAMPLED_BACKLOG)));
        List<MemoryProbe.Sample> samples = MemoryProbe.run(s, "streamcl-bench-memory", learnerHeap, run.pool(), at,
                run.timeout(), log);
        SectionReport report = new SectionReport();
        report.heading("Memory: flat as items keep coming");
        report.text("%d images streamed (the %d of `%s` cycled under fresh ids) as fast as the learner embeds them,"
                        + " training on; `replay.max-backlog` is %d, so the trainer samples from early on and its queue of"
                        + " waiting images stops growing before the first sample. The learner (`run`) is a process of its"
                        + " own, started with `-XX:NativeMemoryTracking=summary` and %s; the broker and the producer are in"
                        + " bench's. Items are counted when their embedding is readable (distinct ids on `%s`,"
                        + " `read_committed`). Resident set and threads from /proc, read first, as the learner runs (a"
                        + " full collection would shrink G1's committed heap); then its live heap after a full collection"
                        + " (JMX); the JVM's committed memory from `VM.native_memory summary`; **outside the JVM** is the"
                        + " resident set less that: native libraries' own memory (libtorch, RocksDB) and the"
                        + " allocator's; RocksDB's from Kafka Streams' metrics (memtables + block cache + table readers,"
                        + " summed over its stores); the state directory on disk.%n%n", items, run.pool().size(),
                run.images(), SAMPLED_BACKLOG, learnerHeap.isBlank() ? "the JVM's default heap limit (a quarter of RAM)"
                        : "`-Xmx" + learnerHeap.strip() + "`", s.get(Settings.TOPIC_EMBEDDINGS));
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> jvmRows = new ArrayList<>();
        List<List<String>> rocksRows = new ArrayList<>();
        for (MemoryProbe.Sample m : samples) {
            rows.add(memoryRow(report, m));
            jvmRows.add(jvmRow(report, m));
            rocksRows.add(rocksDbRow(report, m));
        }
        report.table(List.of("items", "resident (MiB)", "live heap (MiB)", "JVM committed (MiB)",
                "outside the JVM (MiB)", "RocksDB (MiB)", "state dir (MiB)", "threads"), rows);
        List<String> jvmHeader = new ArrayList<>(List.of("items"));
        NMT_CATEGORIES.forEach(c -> jvmHeader.add(c + " (MiB)"));
        jvmHeader.add("rest (MiB)");
        report.text("The JVM's committed memory by category (`VM.native_memory summary`):%n%n");
        report.table(jvmHeader, jvmRows);
        report.text("RocksDB's memory (Kafka Streams' `stream-state-metrics`):%n%n");
        report.table(List.of("items", "memtables (MiB)", "block cache (MiB)", "table readers (MiB)", "stores"),
                rocksRows);
        MemoryProbe.Sample a = samples.get(0);
        MemoryProbe.Sample b = samples.get(samples.size() - 1);
        report.text("From %d to %d items: resident **%+.1f%%**, live heap **%+.1f%%** (target: within 15%%). Of the"
                        + " resident set's %+.0f MiB: Java heap committed %+.0f, the JVM's other categories %+.0f, RocksDB"
                        + " %+.0f, the rest outside the JVM (libtorch, the allocator) %+.0f; threads %+d.%n",
                a.items(), b.items(),
                report.figure("memory", "growth", "resident_percent", 100.0 * (b.residentBytes() - a.residentBytes())
                        / a.residentBytes()),
                report.figure("memory", "growth", "heap_percent", 100.0 * (b.heapBytes() - a.heapBytes()) / a.heapBytes()),
                mib(b.residentBytes() - a.residentBytes()),
                report.figure("memory", "growth", "java_heap_committed_mib",
                        mib(b.jvm().committed(JAVA_HEAP) - a.jvm().committed(JAVA_HEAP))),
                report.figure("memory", "growth", "jvm_other_mib", mib(b.jvm().committedBytes() - b.jvm().committed(JAVA_HEAP)
                        - a.jvm().committedBytes() + a.jvm().committed(JAVA_HEAP))),
                report.figure("memory", "growth", "rocksdb_mib", mib(b.rocksDb().totalBytes() - a.rocksDb().totalBytes())),
                report.figure("memory", "growth", "outside_jvm_not_rocksdb_mib",
                        mib(b.outsideJvmBytes() - b.rocksDb().totalBytes() - a.outsideJvmBytes()
                                + a.rocksDb().totalBytes())),
                b.process().threads() - a.process().threads());
        return report;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static List<String> memoryRow(SectionReport report, MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        return List.of(Long.toString(m.items()),
                f1(report.figure("memory", subject, "resident_mib", mib(m.residentBytes()))),
                f1(report.figure("memory", subject, "heap_mib", mib(m.heapBytes()))),
                f1(report.figure("memory", subject, "jvm_committed_mib", mib(m.jvm().committedBytes()))),
                f1(report.figure("memory", subject, "outside_jvm_mib", mib(m.outsideJvmBytes()))),
                f1(report.figure("memory", subject, "rocksdb_mib", mib(m.rocksDb().totalBytes()))),
                f1(report.figure("memory", subject, "state_dir_mib", mib(m.stateDirBytes()))),
                Long.toString((long) report.figure("memory", subject, "threads", m.process().threads())));
    }

    private static List<String> jvmRow(SectionReport report, MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        List<String> cells = new ArrayList<>(List.of(Long.toString(m.items())));
        long rest = m.jvm().committedBytes();
        for (String c : NMT_CATEGORIES) {
            rest -= m.jvm().committed(c);
            cells.add(f1(report.figure("memory jvm", subject, c + "_mib", mib(m.jvm().committed(c)))));
        }
        cells.add(f1(report.figure("memory jvm", subject, "rest_mib", mib(rest))));
        return cells;
    }

    private static List<String> rocksDbRow(SectionReport report, MemoryProbe.Sample m) {
        String subject = "after " + m.items() + " items";
        return List.of(Long.toString(m.items()),
                f1(report.figure("memory rocksdb", subject, "memtables_mib", mib(m.rocksDb().memtableBytes()))),
                f1(report.figure("memory rocksdb", subject, "block_cache_mib", mib(m.rocksDb().blockCacheBytes()))),
                f1(report.figure("memory rocksdb", subject, "table_readers_mib", mib(m.rocksDb().tableReaderBytes()))),
                Integer.toString(m.rocksDb().stores()));
    }
}
