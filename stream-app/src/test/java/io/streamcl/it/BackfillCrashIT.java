package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner killed hard (SIGKILL) while it re-embeds its catalogue under a newly served version, and
 * started again on the same state directory: the interrupted backfill resumes, `export --converged`
 * returns with every id on the newest served version, and no (id, version) pair is on the topic twice.
 */
@Timeout(value = 420)
class BackfillCrashIT {
    private static final Pattern STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] image:)");
    /** run's progress line, or an embed task's log line, while a backfill is under way. */
    private static final Pattern BACKFILLING = Pattern.compile("backfill to v([1-9]\\d*): [\\d,]+ of");
    private static final int ITEMS = 1500;

    @TempDir
    Path tmp;

    @Test
    void aLearnerKilledDuringABackfillShouldResumeItAndConvergeWithNoPairTwice() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                String[] run = Stream.of(new String[] {"run", "--bootstrap-servers", bootstrap, "--progress-seconds", "1"},
                        JarProcesses.settings("state.dir=" + tmp.resolve("state"), "kinds=image", "batch.size=32",
                                "replay.capacity=128", "replay.updates-per-item=4", "snapshot.every-steps=10",
                                "checkpoint.interval.ms=1000", "image.conv-channels=8,16", "embedding.dim=32",
                                "projection.dim=16", "bank.size=256", "batch.linger.ms=300", "topic.partitions=2",
                                // slow backfills, so that the kill lands in one
                                "backfill.items-per-second=100", "promotion.interval.ms=2000", "device=cpu"))
                        .flatMap(Stream::of).toArray(String[]::new);

                Process first = procs.start("run-1", run);
                procs.awaitLine(first, STARTED, Duration.ofSeconds(90));
                procs.produceImages(bootstrap, "img-", ITEMS, "produce");
                long interrupted = Long.parseLong(procs.awaitLine(first, BACKFILLING, Duration.ofSeconds(180)));
                first.destroyForcibly(); // SIGKILL, mid-backfill
                assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

                Process second = procs.start("run-2", run);
                Path csv = tmp.resolve("feed.csv");
                Process export = procs.start("export", "export", "--bootstrap-servers", bootstrap, "--out",
                        csv.toString(), "--wait-for", Integer.toString(ITEMS), "--converged", "--timeout", "300");
                procs.awaitSuccess(export, Duration.ofSeconds(320));

                List<String> lines = Files.readAllLines(csv);
                Set<String> versions = lines.subList(1, lines.size()).stream().map(l -> l.split(",")[1])
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(lines).hasSize(ITEMS + 1);
                assertThat(versions).as("every id on one version").hasSize(1);
                long served = Long.parseLong(versions.iterator().next());

                List<String> repeated = TopicReader.repeatedPairs(bootstrap, "embeddings");
                assertThat(repeated).as("(id, version) pairs published twice").isEmpty();
                List<EmbeddingStatus> markers = TopicReader.readUntil(bootstrap, "embedding-status",
                        AvroSerde.of(EmbeddingStatus.class).deserializer(), got -> true, Duration.ofSeconds(60))
                        .stream().map(ConsumerRecord::value).filter(s -> s.getVersion() == served).toList();
                assertThat(markers).extracting(EmbeddingStatus::getPartition).containsExactlyInAnyOrder(0, 1);
                assertThat(markers.stream().mapToLong(EmbeddingStatus::getItems).sum()).isEqualTo(ITEMS);
                System.out.printf("[BackfillCrashIT] killed during the backfill to v%d; converged on v%d,"
                        + " %d embeddings published in all%n", interrupted, served,
                        TopicReader.embeddings(bootstrap, "embeddings").size());
                assertThat(served).isGreaterThanOrEqualTo(interrupted);
                assertThat(second.isAlive()).isTrue();
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

}
