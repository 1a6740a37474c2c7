package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.testing.JarProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's flow, each step its own OS process started from the shaded jar: broker, run, produce, export.
 * Needs {@code stream-app/target/stream-app.jar} (built by {@code package}, before Failsafe runs).
 */
@Timeout(value = 360)
class ProcessesIT {
    private static final int ITEMS = 500;
    private static final Duration BROKER_READY = Duration.ofSeconds(60);
    private static final Duration APP_READY = Duration.ofSeconds(90);
    private static final Pattern LEARNER_STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] image:)");
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final Pattern PRODUCED = Pattern.compile(
            "produced (\\d+) image items to (\\S+) \\((\\d+) acknowledged, (\\d+) failed, (\\d+) skipped\\)");

    @TempDir
    Path tmp;

    private JarProcesses procs;

    @Test
    void readmeFlowAsSeparateProcesses() throws Exception {
        Path repo = Path.of(System.getProperty("streamcl.repo.root", ".")).toAbsolutePath().normalize();
        Path jar = repo.resolve("stream-app/target/stream-app.jar");
        Path images = repo.resolve("data/fashion-mnist/t10k-images-idx3-ubyte.gz");
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        assertThat(images).isRegularFile();
        procs = new JarProcesses(jar, tmp);
        try {
            int port = JarProcesses.freePort();
            Process broker = procs.start("broker", "broker", "--port", Integer.toString(port),
                    "--data-dir", tmp.resolve("kafka-data").toString());
            String listening = procs.awaitLine(broker, LISTENING, BROKER_READY);
            String bootstrap = "127.0.0.1:" + port;
            assertThat(listening).isEqualTo(bootstrap);

            Process run = procs.start("run", "run", "--bootstrap-servers", bootstrap, "--progress-seconds", "5",
                    "--set", "state.dir=" + tmp.resolve("state"),
                    "--set", "batch.size=64", "--set", "replay.capacity=256", "--set", "snapshot.every-steps=5",
                    // a small encoder so that training keeps up on a 2-core machine
                    "--set", "image.conv-channels=8,16", "--set", "embedding.dim=32", "--set", "projection.dim=16",
                    "--set", "bank.size=512", "--set", "batch.linger.ms=300", "--set", "topic.partitions=2",
                    "--set", "device=cpu");
            // topics are not auto-created: the learner creates them, so produce only once it has started
            procs.awaitLine(run, LEARNER_STARTED, APP_READY);

            Process produce = procs.start("produce", "produce", "--bootstrap-servers", bootstrap, "--kind", "image",
                    "--format", "idx", "--input", images.toString(), "--id-prefix", "p-",
                    "--limit", Integer.toString(ITEMS));
            assertThat(produce.waitFor(120, TimeUnit.SECONDS)).as("produce finished").isTrue();
            assertThat(produce.exitValue()).as("produce exit code").isZero();
            Matcher counts = PRODUCED.matcher(procs.output(produce));
            assertThat(counts.find()).as("produce's counts line").isTrue();
            assertThat(counts.group(1)).isEqualTo(Integer.toString(ITEMS));
            assertThat(counts.group(2)).isEqualTo("raw-items");
            assertThat(counts.group(3)).isEqualTo(Integer.toString(ITEMS));
            assertThat(counts.group(4)).isEqualTo("0");
            assertThat(counts.group(5)).isEqualTo("0");

            Path csv = tmp.resolve("e.csv");
            Process export = procs.start("export", "export", "--bootstrap-servers", bootstrap,
                    "--out", csv.toString(), "--wait-for", Integer.toString(ITEMS), "--timeout", "180");
            assertThat(export.waitFor(200, TimeUnit.SECONDS)).as("export finished").isTrue();
            assertThat(export.exitValue()).as("export exit code").isZero();
            assertThat(procs.output(export)).contains("exported " + ITEMS + " embeddings");

            List<String> lines = Files.readAllLines(csv);
            String[] header = lines.get(0).split(",", -1);
            assertThat(header).hasSize(2 + 32);
            assertThat(header[0]).isEqualTo("id");
            assertThat(header[1]).isEqualTo("model_version");
            assertThat(header[2]).isEqualTo("v0");
            assertThat(header[header.length - 1]).isEqualTo("v31");
            List<String> ids = new ArrayList<>();
            TreeSet<Long> versions = new TreeSet<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                assertThat(f).as("row %s", line).hasSize(header.length);
                ids.add(f[0]);
                assertThat(f[1]).as("model_version of %s", f[0]).isNotBlank();
                versions.add(Long.parseLong(f[1]));
                double[] v = Arrays.stream(f, 2, f.length).mapToDouble(Double::parseDouble).toArray();
                double sum = 0;
                for (double x : v) {
                    assertThat(Double.isFinite(x)).as("%s has a non-finite value", f[0]).isTrue();
                    sum += x * x;
                }
                assertThat(Math.sqrt(sum)).as("L2 norm of %s", f[0]).isCloseTo(1.0,
                        org.assertj.core.data.Offset.offset(1e-3));
            }
            assertThat(ids).hasSize(ITEMS).doesNotHaveDuplicates();
            assertThat(new TreeSet<>(ids)).isEqualTo(IntStream.range(0, ITEMS).mapToObj(i -> "p-" + i)
                    .collect(Collectors.toCollection(TreeSet::new)));
            System.out.println("[ProcessesIT] model versions in the export: " + versions);

            // the registry lists the versions; one of them, exported, embeds the same items offline bit for bit
            Process models = procs.start("models", "models", "--bootstrap-servers", bootstrap, "--kind", "image");
            procs.awaitSuccess(models, Duration.ofSeconds(60));
            assertThat(procs.output(models)).contains("image-moco").containsPattern("image\\s+image-moco\\s+0\\s+0");
            // once the trainer is done, every item is re-embedded under the version the gate serves last
            Path later = tmp.resolve("later.csv");
            Map<String, Long> count = convergedVersions(bootstrap, later);
            lines = Files.readAllLines(later);
            System.out.println("[ProcessesIT] ids per model version, converged: " + count);
            assertThat(count).as("every id on one version").hasSize(1);
            String version = count.keySet().iterator().next();
            assertThat(Long.parseLong(version)).as("a trained version").isPositive()
                    .as("served versions only grow: none exported earlier is newer")
                    .isGreaterThanOrEqualTo(versions.last());
            Process servedList = procs.start("models-served", "models", "--bootstrap-servers", bootstrap, "--kind",
                    "image");
            procs.awaitSuccess(servedList, Duration.ofSeconds(60));
            assertThat(procs.output(servedList)).containsPattern("image\\s+image-moco\\s+" + version
                    + "\\s+\\d+\\s+\\S+\\s+SERVED").contains("image serves v" + version);
            Path modelDir = tmp.resolve("model-v" + version);
            procs.awaitSuccess(procs.start("export-model", "export-model", "--bootstrap-servers", bootstrap, "--kind",
                    "image", "--version", version, "--out", modelDir.toString()), Duration.ofSeconds(60));
            Path offline = tmp.resolve("offline.csv");
            procs.awaitSuccess(procs.start("embed", "embed", "--model", modelDir.toString(), "--kind", "image",
                    "--format", "idx", "--input", images.toString(), "--id-prefix", "p-", "--limit",
                    Integer.toString(ITEMS), "--set", "image.conv-channels=8,16", "--set", "embedding.dim=32",
                    "--set", "projection.dim=16", "--set", "device=cpu", "--out", offline.toString()),
                    Duration.ofSeconds(120));
            Map<String, String> offlineRows = new java.util.HashMap<>();
            Files.readAllLines(offline).stream().skip(1).forEach(l -> offlineRows.put(l.substring(0, l.indexOf(',')), l));
            List<String> streamedWithVersion = lines.subList(1, lines.size()).stream()
                    .filter(l -> l.split(",", 3)[1].equals(version)).toList();
            assertThat(streamedWithVersion).isNotEmpty();
            for (String streamed : streamedWithVersion) {
                assertThat(offlineRows.get(streamed.substring(0, streamed.indexOf(','))))
                        .as("offline row of the streamed one").isEqualTo(streamed);
            }
            System.out.printf("[ProcessesIT] embed with v%s reproduced all %d streamed vectors of v%s exactly%n",
                    version, streamedWithVersion.size(), version);

            // a rollback by hand: pinned, every id is re-embedded under v0; handed back to the gate, under its version
            procs.awaitSuccess(procs.start("promote-pin", "promote", "--bootstrap-servers", bootstrap, "--kind",
                    "image", "--version", "0"), Duration.ofSeconds(60));
            assertThat(convergedVersions(bootstrap, tmp.resolve("pinned.csv"))).as("ids per version, pinned")
                    .containsOnlyKeys("0");
            procs.awaitSuccess(procs.start("promote-auto", "promote", "--bootstrap-servers", bootstrap, "--kind",
                    "image", "--auto"), Duration.ofSeconds(60));
            assertThat(convergedVersions(bootstrap, tmp.resolve("handed-back.csv"))).as("ids per version, handed back")
                    .containsOnlyKeys(version);

            // user events, in the same running app: each event publishes its item and its user, by key
            List<EventRow> events = SyntheticEvents.builder().users(20).eventsPerUser(5).seed(7).build().generate();
            Process produceEvents = procs.start("produce-events", "produce", "--bootstrap-servers", bootstrap,
                    "--kind", "event", "--synthetic", "--users", "20", "--events-per-user", "5", "--seed", "7");
            assertThat(produceEvents.waitFor(120, TimeUnit.SECONDS)).as("produce events finished").isTrue();
            assertThat(produceEvents.exitValue()).as("produce events exit code").isZero();
            assertThat(procs.output(produceEvents)).contains("produced " + events.size() + " event items to raw-items ("
                    + events.size() + " acknowledged, 0 failed");
            assertThat(exportedIds(bootstrap, "user", 20)).isEqualTo(events.stream()
                    .map(r -> "user:" + r.userId()).collect(Collectors.toCollection(TreeSet::new)));
            TreeSet<String> itemKeys = events.stream().map(r -> "item:" + r.itemId())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(exportedIds(bootstrap, "item", itemKeys.size())).isEqualTo(itemKeys);
            for (Process p : procs.all()) {
                if (procs.name(p).equals("run") || procs.name(p).equals("broker")) {
                    assertThat(p.isAlive()).as("%s still running", procs.name(p)).isTrue();
                }
            }
        } catch (Throwable t) {
            procs.printOutputs();
            throw t;
        } finally {
            procs.close();
        }
    }

    /** Exports the feed once it has converged, to {@code csv}: how many ids each model version holds. */
    private Map<String, Long> convergedVersions(String bootstrap, Path csv) throws Exception {
        Process converged = procs.start("export-" + csv.getFileName(), "export", "--bootstrap-servers", bootstrap,
                "--out", csv.toString(), "--wait-for", Integer.toString(ITEMS), "--converged", "--timeout", "240");
        procs.awaitSuccess(converged, Duration.ofSeconds(260));
        assertThat(procs.output(converged)).contains("the feed has converged");
        List<String> lines = Files.readAllLines(csv);
        Map<String, Long> count = new java.util.TreeMap<>();
        lines.subList(1, lines.size()).forEach(l -> count.merge(l.split(",", 3)[1], 1L, Long::sum));
        return count;
    }

    /** The ids of one kind's embeddings, exported to CSV once {@code n} are there. */
    private TreeSet<String> exportedIds(String bootstrap, String kind, int n) throws Exception {
        Path csv = tmp.resolve(kind + ".csv");
        Process export = procs.start("export-" + kind, "export", "--bootstrap-servers", bootstrap, "--kind", kind,
                "--out", csv.toString(), "--wait-for", Integer.toString(n), "--timeout", "120");
        assertThat(export.waitFor(150, TimeUnit.SECONDS)).as("export of %s finished", kind).isTrue();
        assertThat(export.exitValue()).as("export of %s exit code", kind).isZero();
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

}
