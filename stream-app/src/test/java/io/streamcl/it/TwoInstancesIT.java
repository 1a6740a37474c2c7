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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the learner with one application id share the work: embedding runs on both, exactly one
 * of them trains, the other hot-swaps to each snapshot the trainer publishes (the time that takes is printed:
 * the README's figure), and when the trainer's instance stops mid-stream the other takes over its training
 * from the checkpoint and every item is still embedded.
 */
@Timeout(value = 420)
class TwoInstancesIT {
    private static final Pattern STARTED = Pattern.compile("(\\[\\s*\\d+s\\] image:)");
    /** A trainer starting on an instance, with the time of the log line. */
    private static final Pattern TRAINS = Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) INFO TrainerProcessor - image trainer");
    private static final Pattern EMBEDDED = Pattern.compile("image: in \\d+ \\| embedded (\\d+)");
    private static final Pattern SWAPS = Pattern.compile("image model swaps (\\d+), p50 (\\d+) ms, p99 (\\d+) ms");
    private static final int BEFORE = 600;
    private static final int AFTER = 300;

    @TempDir
    Path tmp;

    @Test
    void twoInstancesShouldShareTheWorkAndSurviveTheTrainersInstanceStopping() throws Exception {
        Path jar = JarProcesses.shadedJar();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String bootstrap = procs.startBroker();
                Process a = procs.start("run-a", run(bootstrap, "a"));
                procs.awaitLine(a, STARTED, Duration.ofSeconds(90));
                Process b = procs.start("run-b", run(bootstrap, "b"));
                procs.awaitLine(b, STARTED, Duration.ofSeconds(90));

                procs.produceImages(bootstrap, "a-", BEFORE, "produce-a");
                awaitExport(procs, bootstrap, BEFORE, "export-a");
                Thread.sleep(6_000); // a progress line after the last embeddings
                // the trainer may have moved when the second instance joined: it is where it started last
                Process trainer = lastMatch(procs.output(a), TRAINS, "").compareTo(lastMatch(procs.output(b), TRAINS, ""))
                        > 0 ? a : b;
                Process other = trainer == a ? b : a;
                long embeddedByTrainer = Long.parseLong(lastMatch(procs.output(trainer), EMBEDDED, "0"));
                long embeddedByOther = Long.parseLong(lastMatch(procs.output(other), EMBEDDED, "0"));
                assertThat(embeddedByTrainer).as("embedded on %s", procs.name(trainer)).isPositive();
                assertThat(embeddedByOther).as("embedded on %s", procs.name(other)).isPositive();
                assertThat(embeddedByTrainer + embeddedByOther).isGreaterThanOrEqualTo(BEFORE);
                // the instance without the trainer swaps once a promoted version reaches it: wait for its line
                String swapLine = null;
                for (long until = System.nanoTime() + 90_000_000_000L; swapLine == null && System.nanoTime() < until; ) {
                    Matcher swaps = SWAPS.matcher(procs.output(other));
                    while (swaps.find()) {
                        swapLine = swaps.group();
                    }
                    if (swapLine == null) {
                        Thread.sleep(1_000);
                    }
                }
                assertThat(swapLine).as("model swaps on the instance without the trainer").isNotNull();
                System.out.printf("[TwoInstancesIT] embedded %d on %s (the trainer's instance) and %d on %s; on %s: %s"
                        + " after publication%n", embeddedByTrainer, procs.name(trainer), embeddedByOther,
                        procs.name(other), procs.name(other), swapLine);

                // the trainer's instance stops while items flow: the other takes over, nothing is lost
                Process producing = procs.start("produce-b", "produce", "--bootstrap-servers", bootstrap, "--kind",
                        "image", "--format", "idx", "--input", JarProcesses.sampleImages().toString(), "--id-prefix", "b-", "--limit",
                        Integer.toString(AFTER));
                trainer.destroy();
                procs.awaitSuccess(producing, Duration.ofSeconds(120));
                procs.awaitLine(other, Pattern.compile("(image trainer resumes from its checkpoint)"),
                        Duration.ofSeconds(120));
                Set<String> ids = awaitExport(procs, bootstrap, BEFORE + AFTER, "export-all");
                Set<String> expected = new TreeSet<>();
                IntStream.range(0, BEFORE).forEach(i -> expected.add("a-" + i));
                IntStream.range(0, AFTER).forEach(i -> expected.add("b-" + i));
                assertThat(ids).isEqualTo(expected);
                List<Long> versions = TopicReader.readUntil(bootstrap, "models",
                        AvroSerde.of(ModelSnapshot.class).deserializer(), got -> true, Duration.ofSeconds(60)).stream()
                        .filter(r -> r.key().equals("image")).map(r -> r.value().getVersion()).toList();
                for (int i = 1; i < versions.size(); i++) { // a version comes again only to confirm it (caught_up)
                    assertThat(versions.get(i)).as("versions %s", versions).isGreaterThanOrEqualTo(versions.get(i - 1));
                }
                assertThat(other.isAlive()).isTrue();
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    private String[] run(String bootstrap, String instance) {
        return Stream.concat(Stream.of("run", "--bootstrap-servers", bootstrap, "--progress-seconds", "2"), Stream.of(
                "state.dir=" + tmp.resolve("state-" + instance), "kinds=image", "batch.size=32", "replay.capacity=128",
                "replay.updates-per-item=4", "snapshot.every-steps=5", "checkpoint.interval.ms=2000",
                "image.conv-channels=8,16", "embedding.dim=32", "projection.dim=16", "bank.size=256",
                "batch.linger.ms=300", "topic.partitions=4", "num.stream.threads=1", "device=cpu")
                .flatMap(v -> Stream.of("--set", v))).toArray(String[]::new);
    }

    private Set<String> awaitExport(JarProcesses procs, String bootstrap, int n, String name) throws Exception {
        Path csv = tmp.resolve(name + ".csv");
        procs.awaitSuccess(procs.start(name, "export", "--bootstrap-servers", bootstrap, "--out", csv.toString(),
                "--wait-for", Integer.toString(n), "--timeout", "240"), Duration.ofSeconds(260));
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Group 1 of the last match in the output, or the fallback. */
    private static String lastMatch(String output, Pattern pattern, String fallback) {
        Matcher m = pattern.matcher(output);
        String last = fallback;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
