package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    /** Every process started, in start order, with the file its output goes to. */
    private final Map<Process, Path> started = new LinkedHashMap<>();

    @Test
    void readmeFlowAsSeparateProcesses() throws Exception {
        Path repo = Path.of(System.getProperty("streamcl.repo.root", ".")).toAbsolutePath().normalize();
        Path jar = repo.resolve("stream-app/target/stream-app.jar");
        Path images = repo.resolve("data/fashion-mnist/t10k-images-idx3-ubyte.gz");
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        assertThat(images).isRegularFile();
        try {
            int port = freePort();
            Process broker = start("broker", jar, "broker", "--port", Integer.toString(port),
                    "--data-dir", tmp.resolve("kafka-data").toString());
            String listening = awaitLine(broker, LISTENING, BROKER_READY);
            String bootstrap = "127.0.0.1:" + port;
            assertThat(listening).isEqualTo(bootstrap);

            Process run = start("run", jar, "run", "--bootstrap-servers", bootstrap, "--progress-seconds", "5",
                    "--set", "state.dir=" + tmp.resolve("state"),
                    "--set", "batch.size=64", "--set", "replay.capacity=256", "--set", "snapshot.every-steps=5",
                    // a small encoder so that training keeps up on a 2-core machine
                    "--set", "image.conv-channels=8,16", "--set", "embedding.dim=32", "--set", "projection.dim=16",
                    "--set", "bank.size=512", "--set", "batch.linger.ms=300", "--set", "topic.partitions=2",
                    "--set", "device=cpu");
            // topics are not auto-created: the learner creates them, so produce only once it has started
            awaitLine(run, LEARNER_STARTED, APP_READY);

            Process produce = start("produce", jar, "produce", "--bootstrap-servers", bootstrap, "--kind", "image",
                    "--format", "idx", "--input", images.toString(), "--id-prefix", "p-",
                    "--limit", Integer.toString(ITEMS));
            assertThat(produce.waitFor(120, TimeUnit.SECONDS)).as("produce finished").isTrue();
            assertThat(produce.exitValue()).as("produce exit code").isZero();
            Matcher counts = PRODUCED.matcher(output(produce));
            assertThat(counts.find()).as("produce's counts line").isTrue();
            assertThat(counts.group(1)).isEqualTo(Integer.toString(ITEMS));
            assertThat(counts.group(2)).isEqualTo("raw-items");
            assertThat(counts.group(3)).isEqualTo(Integer.toString(ITEMS));
            assertThat(counts.group(4)).isEqualTo("0");
            assertThat(counts.group(5)).isEqualTo("0");

            Path csv = tmp.resolve("e.csv");
            Process export = start("export", jar, "export", "--bootstrap-servers", bootstrap,
                    "--out", csv.toString(), "--wait-for", Integer.toString(ITEMS), "--timeout", "180");
            assertThat(export.waitFor(200, TimeUnit.SECONDS)).as("export finished").isTrue();
            assertThat(export.exitValue()).as("export exit code").isZero();
            assertThat(output(export)).contains("exported " + ITEMS + " embeddings");

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
                long version = Long.parseLong(f[1]);
                assertThat(version).isGreaterThanOrEqualTo(0L);
                versions.add(version);
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

            // user events, in the same running app: each event publishes its item and its user, by key
            List<EventRow> events = SyntheticEvents.builder().users(20).eventsPerUser(5).seed(7).build().generate();
            Process produceEvents = start("produce-events", jar, "produce", "--bootstrap-servers", bootstrap,
                    "--kind", "event", "--synthetic", "--users", "20", "--events-per-user", "5", "--seed", "7");
            assertThat(produceEvents.waitFor(120, TimeUnit.SECONDS)).as("produce events finished").isTrue();
            assertThat(produceEvents.exitValue()).as("produce events exit code").isZero();
            assertThat(output(produceEvents)).contains("produced " + events.size() + " event items to raw-items ("
                    + events.size() + " acknowledged, 0 failed");
            assertThat(exportedIds(jar, bootstrap, "user", 20)).isEqualTo(events.stream()
                    .map(r -> "user:" + r.userId()).collect(Collectors.toCollection(TreeSet::new)));
            TreeSet<String> itemKeys = events.stream().map(r -> "item:" + r.itemId())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(exportedIds(jar, bootstrap, "item", itemKeys.size())).isEqualTo(itemKeys);
            for (Process p : started.keySet()) {
                if (name(p).equals("run") || name(p).equals("broker")) {
                    assertThat(p.isAlive()).as("%s still running", name(p)).isTrue();
                }
            }
        } catch (Throwable t) {
            printOutputs();
            throw t;
        } finally {
            stopAll();
        }
    }

    /** The ids of one kind's embeddings, exported to CSV once {@code n} are there. */
    private TreeSet<String> exportedIds(Path jar, String bootstrap, String kind, int n) throws Exception {
        Path csv = tmp.resolve(kind + ".csv");
        Process export = start("export-" + kind, jar, "export", "--bootstrap-servers", bootstrap, "--kind", kind,
                "--out", csv.toString(), "--wait-for", Integer.toString(n), "--timeout", "120");
        assertThat(export.waitFor(150, TimeUnit.SECONDS)).as("export of %s finished", kind).isTrue();
        assertThat(export.exitValue()).as("export of %s exit code", kind).isZero();
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Process start(String name, Path jar, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = tmp.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(tmp.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        started.put(p, log);
        return p;
    }

    /** Waits for a line of the process's output to match; returns the first group. */
    private String awaitLine(Process p, Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(output(p));
            if (m.find()) {
                return m.group(1);
            }
            if (!p.isAlive()) {
                throw new AssertionError(name(p) + " exited with " + p.exitValue() + " before printing " + pattern);
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name(p) + " printed no line matching " + pattern + " within " + timeout);
    }

    private String output(Process p) throws IOException {
        return Files.readString(started.get(p), StandardCharsets.UTF_8);
    }

    private String name(Process p) {
        String file = started.get(p).getFileName().toString();
        return file.substring(0, file.length() - ".log".length());
    }

    private void printOutputs() {
        for (Map.Entry<Process, Path> e : started.entrySet()) {
            System.out.println("===== " + name(e.getKey()) + " (" + (e.getKey().isAlive() ? "running"
                    : "exit " + e.getKey().exitValue()) + ") =====");
            try {
                System.out.println(Files.readString(e.getValue(), StandardCharsets.UTF_8));
            } catch (IOException io) {
                System.out.println("(cannot read " + e.getValue() + ": " + io + ")");
            }
        }
    }

    /** Newest first, so that the app stops before the broker it talks to. */
    private void stopAll() throws InterruptedException {
        List<Process> processes = new ArrayList<>(started.keySet());
        java.util.Collections.reverse(processes);
        for (Process p : processes) {
            if (!p.isAlive()) {
                continue;
            }
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                System.out.println("[ProcessesIT] " + name(p) + " did not stop within 10 s of SIGTERM; killing it");
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
