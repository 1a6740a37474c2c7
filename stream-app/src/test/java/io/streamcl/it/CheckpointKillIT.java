package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.testing.CompleteFeed;
import io.streamcl.testing.ConsumedInput;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.SmallLearner;
import io.streamcl.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentence learner, whose checkpoints are over 100 MB, killed hard (SIGKILL) a few times just as a
 * checkpoint reaches the broker, before or while its transaction commits, and started again on the same state
 * directory each time: every restart resumes its trainer (from the last committed checkpoint or, if that could
 * not be used, from the newest snapshot) instead of crash-looping or starting over, and after the last one
 * every sentence is embedded, no (id, version) pair twice.
 */
@Timeout(value = 420)
class CheckpointKillIT {
    private static final Pattern STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] sentence:)");
    private static final Pattern RESUMED = Pattern.compile("sentence trainer (resumes from its checkpoint of v(\\d+)"
            + "|cannot resume from its checkpoint|resumes the parameters of)");
    private static final String CHECKPOINT_CHANGELOG = "streamcl-trainer-checkpoints-sentence-changelog";
    /**
     * A checkpoint of the default sentence encoder is over 100 MB (its table, the table's two moments and its average,
     * 34 MB each); the other records of the store are bytes.
     */
    private static final long CHECKPOINT_GROWTH = 1 << 20;
    /** After a checkpoint reaches the broker: at once (before its commit), or a little later (at the commit). */
    private static final long[] KILL_DELAYS_MS = {0, 200};
    private static final int BEFORE = 1000;
    private static final int AFTER = 200;

    @TempDir
    Path tmp;

    @Test
    void aLearnerKilledWhileWritingCheckpointsShouldResumeEachTimeAndEmbedEverySentenceOnce() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                // the sentence encoder at its default size, for checkpoints of over 100 MB
                String[] run = SmallLearner.run(bootstrap, "state.dir=" + tmp.resolve("state"), "kinds=sentence",
                        "batch.size=32", "replay.capacity=128", "replay.updates-per-item=4", "snapshot.every-steps=5",
                        "checkpoint.interval.ms=1000", "bank.size=256", "batch.linger.ms=300", "topic.partitions=2",
                        "promotion.interval.ms=2000", "device=cpu");
                Process current = procs.start("run-1", run);
                procs.awaitLine(current, STARTED, Duration.ofSeconds(90));
                produceSentences(procs, bootstrap, "s-", BEFORE);

                List<String> resumes = new ArrayList<>();
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    for (int kill = 0; kill < KILL_DELAYS_MS.length; kill++) {
                        awaitCheckpointOnBroker(admin, current, procs, Duration.ofSeconds(120));
                        Thread.sleep(KILL_DELAYS_MS[kill]);
                        current.destroyForcibly(); // SIGKILL: the checkpoint's transaction is left open
                        assertThat(current.waitFor(30, TimeUnit.SECONDS)).isTrue();
                        current = procs.start("run-" + (kill + 2), run);
                        resumes.add(procs.awaitLine(current, RESUMED, Duration.ofSeconds(120)));
                    }
                }
                produceSentences(procs, bootstrap, "t-", AFTER);
                Set<String> ids = new TreeSet<>(JarProcesses.ids("s-", BEFORE));
                ids.addAll(JarProcesses.ids("t-", AFTER));
                // a Brown "sentence" of punctuation alone (s-378 is ")") is a dead letter, not an embedding
                ConsumedInput.await(bootstrap, "streamcl", "raw-items", Duration.ofSeconds(180));
                Set<String> deadLetters = TopicReader.keys(bootstrap, "raw-items-dlq");
                assertThat(ids).as("dead letters are items produced").containsAll(deadLetters);
                assertThat(deadLetters).as("dead letters among %d Brown sentences", ids.size()).hasSizeLessThan(5);
                ids.removeAll(deadLetters);
                int embeddings = CompleteFeed.assertEveryIdEmbeddedOnce(bootstrap, ids, Duration.ofSeconds(240)).size();

                String log = procs.output(current);
                assertThat(current.isAlive()).as("the last run is still up").isTrue();
                assertThat(SmallLearner.threadsReplaced(log)).as("stream threads replaced after the last restart")
                        .isZero();
                System.out.printf("[CheckpointKillIT] %d kills just as a checkpoint reached the broker; the restarts"
                        + " said: %s; every one of %d ids embedded (%d embeddings, no pair twice), %s dead-lettered%n",
                        KILL_DELAYS_MS.length, resumes, ids.size(), embeddings, deadLetters);
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    private static void produceSentences(JarProcesses procs, String bootstrap, String prefix, int n) throws Exception {
        Process produce = procs.start("produce-" + prefix.replace("-", ""), "produce", "--bootstrap-servers",
                bootstrap, "--kind", "sentence", "--format", "tsv", "--input",
                JarProcesses.repoRoot().resolve("data/brown/brown-genre.tsv.gz").toString(), "--text-column",
                "sentence", "--id-prefix", prefix, "--limit", Integer.toString(n));
        procs.awaitSuccess(produce, Duration.ofSeconds(120));
        Matcher counts = Pattern.compile("produced (\\d+) sentence items .* (\\d+) skipped").matcher(procs.output(produce));
        assertThat(counts.find()).as("produce's counts line").isTrue();
        assertThat(counts.group(1)).isEqualTo(Integer.toString(n));
        assertThat(counts.group(2)).as("sentences skipped").isEqualTo("0");
    }

    /**
     * Waits until the trainer's checkpoint changelog grows by a checkpoint's size on the broker (asked every
     * 20 ms): the record is there, and its transaction commits moments later.
     */
    private static void awaitCheckpointOnBroker(Admin admin, Process run, JarProcesses procs, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long previous = changelogBytes(admin);
        while (System.nanoTime() < deadline) {
            if (!run.isAlive()) {
                throw new AssertionError(procs.name(run) + " exited with " + run.exitValue());
            }
            long now = changelogBytes(admin);
            if (now - previous >= CHECKPOINT_GROWTH) { // one append: a checkpoint, not a run of small records
                return;
            }
            previous = now;
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint reached the broker within " + timeout);
    }

    /** Bytes of the checkpoint changelog's partitions on the broker; 0 before the learner created it. */
    private static long changelogBytes(Admin admin) throws Exception {
        long bytes = 0;
        for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(List.of(1)).allDescriptions()
                .get(10, TimeUnit.SECONDS).values()) {
            for (LogDirDescription dir : dirs.values()) {
                bytes += dir.replicaInfos().entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(CHECKPOINT_CHANGELOG))
                        .mapToLong(e -> e.getValue().size()).sum();
            }
        }
        return bytes;
    }
}
