package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.schema.ModelSnapshot;
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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner killed hard (SIGKILL) mid-stream and started again on the same state directory: the trainer
 * goes on from its checkpoint (encoders, optimizer, bank, step), model versions never go down, every item
 * gets an embedding, and no (id, version) pair is published twice.
 */
@Timeout(value = 420)
class CrashRestartIT {
    private static final Pattern STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] image:)");
    private static final Pattern RESUMED = Pattern.compile("image trainer resumes from its checkpoint of v(\\d+)");
    private static final int BEFORE = 400;
    private static final int AFTER = 200;

    @TempDir
    Path tmp;

    @Test
    void aLearnerKilledHardShouldResumeFromItsCheckpointAndLoseNothing() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                String[] run = Stream.of(new String[] {"run", "--bootstrap-servers", bootstrap, "--progress-seconds", "5"},
                        JarProcesses.settings("state.dir=" + tmp.resolve("state"), "kinds=image", "batch.size=32",
                                "replay.capacity=128", "replay.updates-per-item=4", "snapshot.every-steps=5",
                                "checkpoint.interval.ms=1000", "image.conv-channels=8,16", "embedding.dim=32",
                                "projection.dim=16", "bank.size=256", "batch.linger.ms=300", "topic.partitions=2",
                                "device=cpu"))
                        .flatMap(Stream::of).toArray(String[]::new);

                Process first = procs.start("run-1", run);
                procs.awaitLine(first, STARTED, Duration.ofSeconds(90));
                procs.produceImages(bootstrap, "a-", BEFORE, "produce-a");
                long versionBefore = awaitImageVersion(bootstrap, 4);
                first.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close, transactions left open
                assertThat(first.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

                Process second = procs.start("run-2", run);
                long resumedFrom = Long.parseLong(procs.awaitLine(second, RESUMED, Duration.ofSeconds(120)));
                assertThat(resumedFrom).as("checkpoint version").isBetween(1L, Long.MAX_VALUE);
                procs.produceImages(bootstrap, "b-", AFTER, "produce-b");

                Path csv = tmp.resolve("all.csv");
                procs.awaitSuccess(procs.start("export", "export", "--bootstrap-servers", bootstrap, "--out",
                        csv.toString(), "--wait-for", Integer.toString(BEFORE + AFTER), "--timeout", "240"),
                        Duration.ofSeconds(260));
                List<String> lines = Files.readAllLines(csv);
                Set<String> ids = lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',')))
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<String> expected = new TreeSet<>();
                IntStream.range(0, BEFORE).forEach(i -> expected.add("a-" + i));
                IntStream.range(0, AFTER).forEach(i -> expected.add("b-" + i));
                assertThat(ids).as("every item embedded").isEqualTo(expected);

                List<String> repeated = TopicReader.repeatedPairs(bootstrap, "embeddings");
                assertThat(repeated).as("(id, version) pairs published twice").isEmpty();

                List<Long> versions = TopicReader.readUntil(bootstrap, "models",
                        AvroSerde.of(ModelSnapshot.class).deserializer(), got -> true, Duration.ofSeconds(60)).stream()
                        .filter(r -> r.key().equals("image")).map(r -> r.value().getVersion()).toList();
                System.out.printf("[CrashRestartIT] versions %s; killed after v%d, resumed from the checkpoint of v%d%n",
                        versions, versionBefore, resumedFrom);
                // a version comes again only to confirm it as all there was to learn (caught_up), never lower
                for (int i = 1; i < versions.size(); i++) {
                    assertThat(versions.get(i)).as("versions %s", versions).isGreaterThanOrEqualTo(versions.get(i - 1));
                }
                assertThat(versions.get(versions.size() - 1)).as("versions went on after the restart")
                        .isGreaterThan(versionBefore);
                assertThat(second.isAlive()).isTrue();
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }


    /** Waits until the image model has a version of at least {@code min}; returns the newest. */
    private static long awaitImageVersion(String bootstrap, long min) {
        long[] newest = {-1};
        TopicReader.readUntil(bootstrap, "models", AvroSerde.of(ModelSnapshot.class).deserializer(), got -> {
            got.stream().filter(r -> r.key().equals("image"))
                    .forEach(r -> newest[0] = Math.max(newest[0], r.value().getVersion()));
            return newest[0] >= min;
        }, Duration.ofSeconds(180));
        assertThat(newest[0]).as("image model version before the kill").isGreaterThanOrEqualTo(min);
        return newest[0];
    }
}
