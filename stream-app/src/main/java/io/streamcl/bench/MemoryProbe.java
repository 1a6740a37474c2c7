package io.streamcl.bench;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.TopicSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Memory of the learner as items keep coming, apart from the broker and the producer: the learner runs in a
 * process of its own ({@link LearnerProcess}), the broker and the producer in this one. At given counts of
 * items processed (read back from the embeddings topic) it reads the learner's resident set and threads
 * from /proc, its live heap after a full collection, the JVM's native memory summary and RocksDB's
 * memory over JMX, and the size of its state directory; what none of the JVM's categories account for is
 * native memory of libraries (libtorch, RocksDB) or of the allocator.
 *
 * <p>Items go in as fast as the learner embeds them (never more than {@code AHEAD} ahead), with training
 * on: once the trainer is {@code replay.max-backlog} items behind it samples, so its queue stops growing.
 */
public final class MemoryProbe {
    private static final int AHEAD = 2_000;
    /** Ids of the items sent: {@link EmbeddedItems} counts the embedded ones by them. */
    private static final String PREFIX = "mem-";

    /** The learner's memory once {@code items} items were embedded. */
    public record Sample(long items, ProcStatus process, long heapBytes, NativeMemorySummary jvm, RocksDbMemory rocksDb,
            long stateDirBytes) {
        public long residentBytes() {
            return process.residentBytes();
        }

        /** The resident set less what the JVM says it committed: libtorch's, RocksDB's and malloc's own. */
        public long outsideJvmBytes() {
            return process.residentBytes() - jvm.committedBytes();
        }
    }

    private MemoryProbe() {}

    /**
     * @param heap the learner's -Xmx (e.g. 1g); empty for the JVM's default
     * @param pool items to send, cycled with fresh ids
     * @param at item counts to sample at, ascending
     * @param log where the learner's output goes
     */
    public static List<Sample> run(Settings settings, String applicationId, String heap, List<RawItem> pool, long[] at,
            Duration timeout, Path log) throws InterruptedException, IOException {
        Path stateDir = Files.createTempDirectory("streamcl-bench-state");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults())) {
            Settings s = settings.withPlaintextBroker(broker.bootstrapServers()).with(Map.of(
                    Settings.STATE_DIR.name(), stateDir.toString(), Settings.APPLICATION_ID.name(), applicationId));
            // created here, so that the producer can send before the learner is up
            TopicSetup.ensureTopics(s, ItemKinds.fromSettings(s));
            try (RawItemProducer producer = new RawItemProducer(s.kafkaClientProperties(),
                    s.get(Settings.TOPIC_RAW_ITEMS), KindRegistry.standard()::partitionKey);
                    EmbeddedItems embedded = new EmbeddedItems(s.get(Settings.BOOTSTRAP_SERVERS),
                            s.get(Settings.TOPIC_EMBEDDINGS), s.get(Settings.TOPIC_PARTITIONS), PREFIX);
                    LearnerProcess learner = LearnerProcess.start(s, heap, log)) {
                return feed(learner, producer, embedded, pool, at, stateDir, System.nanoTime() + timeout.toNanos());
            }
        } finally {
            deleteTree(stateDir);
        }
    }

    private static List<Sample> feed(LearnerProcess learner, RawItemProducer producer, EmbeddedItems embedded,
            List<RawItem> pool, long[] at, Path stateDir, long deadline) throws InterruptedException, IOException {
        List<Sample> out = new ArrayList<>();
        LearnerJmx jmx = null;
        try {
            long sent = 0;
            for (long target : at) {
                while (embedded.count() < target) {
                    if (!learner.alive()) {
                        throw new IllegalStateException("the learner stopped after " + embedded.count()
                                + " items; its log ends:\n" + learner.logTail(30));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("memory run: only " + embedded.count() + " of " + target
                                + " items embedded in time");
                    }
                    while (sent < target && sent - embedded.count() < AHEAD) {
                        RawItem template = pool.get((int) (sent % pool.size()));
                        producer.send(RawItem.newBuilder(template).setId(PREFIX + sent).setEventTime(Instant.now())
                                .build());
                        sent++;
                    }
                    Thread.sleep(20);
                }
                jmx = jmx != null ? jmx : LearnerJmx.attach(learner.pid());
                out.add(measure(target, learner.pid(), jmx, stateDir));
                Sample m = out.get(out.size() - 1);
                System.out.printf("bench: memory after %d items: learner resident %d MiB, live heap %d MiB, outside"
                                + " the JVM %d MiB, RocksDB %d MiB, state %d MiB, %d threads%n", target,
                        m.residentBytes() >> 20, m.heapBytes() >> 20, m.outsideJvmBytes() >> 20,
                        m.rocksDb().totalBytes() >> 20, m.stateDirBytes() >> 20, m.process().threads());
            }
            return out;
        } finally {
            if (jmx != null) {
                jmx.close();
            }
        }
    }

    /**
     * The learner as it runs first, then its live heap: a full collection shrinks G1's committed heap and
     * hands the freed regions back to the kernel, so a resident set read after it is not the one the learner
     * lives with.
     */
    private static Sample measure(long items, long pid, LearnerJmx jmx, Path stateDir) throws IOException {
        ProcStatus process = ProcStatus.of(pid);
        NativeMemorySummary jvm = jmx.nativeMemory();
        RocksDbMemory rocksDb = jmx.rocksDb();
        long state = treeSize(stateDir);
        return new Sample(items, process, jmx.liveHeapBytesAfterFullGc(), jvm, rocksDb, state);
    }

    /** Bytes of the files under a directory that is being written to: a file gone meanwhile counts 0. */
    static long treeSize(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (UncheckedIOException e) { // a directory removed while walked (RocksDB compacting)
            return treeSize(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
