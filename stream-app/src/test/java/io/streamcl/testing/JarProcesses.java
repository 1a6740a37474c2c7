package io.streamcl.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Commands of the shaded jar run as OS processes, each with its output in {@code <dir>/<name>.log}, the
 * way a user runs them. {@link #close()} stops them newest first, so an app stops before its broker.
 */
public final class JarProcesses implements AutoCloseable {
    private final Path jar;
    private final Path dir;
    private final Map<Process, Path> started = new LinkedHashMap<>();

    public JarProcesses(Path jar, Path dir) {
        this.jar = jar;
        this.dir = dir;
    }

    /** The repository root ({@code streamcl.repo.root}, set by the build). */
    public static Path repoRoot() {
        return Path.of(System.getProperty("streamcl.repo.root", ".")).toAbsolutePath().normalize();
    }

    /** The shaded jar, built by {@code package} before the integration tests run. */
    public static Path shadedJar() {
        return repoRoot().resolve("stream-app/target/stream-app.jar");
    }

    public Process start(String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dai.djl.offline=true", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        // a `run` serves HTTP: on any free port, so that instances of a test, or of two tests, never fight for 8080
        pb.environment().put("STREAMCL_HTTP_PORT", "0");
        Process p = pb.start();
        started.put(p, log);
        return p;
    }

    /** Starts {@code broker} on a free port with its data under the directory; returns its bootstrap address. */
    public String startBroker() throws Exception {
        return startBroker("broker", freePort());
    }

    /**
     * Starts {@code broker} as process {@code name} on the port, with its data in the directory's
     * {@code kafka-data} (the same on every start, so a second start goes on from the first); returns its
     * bootstrap address once it listens.
     */
    public String startBroker(String name, int port) throws Exception {
        Process broker = start(name, "broker", "--port", Integer.toString(port),
                "--data-dir", dir.resolve("kafka-data").toString());
        return awaitLine(broker, Pattern.compile("listening on (\\S+)"), Duration.ofSeconds(60));
    }

    /** Produces the first {@code n} images of the sample IDX file with ids {@code <prefix><index>}, and waits. */
    public void produceImages(String bootstrap, String prefix, int n, String name) throws Exception {
        awaitSuccess(startProducingImages(bootstrap, prefix, n, name), Duration.ofSeconds(120));
    }

    /** As {@link #produceImages}, without waiting: the producer retries through a broker outage on its own. */
    public Process startProducingImages(String bootstrap, String prefix, int n, String name) throws IOException {
        return start(name, "produce", "--bootstrap-servers", bootstrap, "--kind", "image", "--format", "idx",
                "--input", sampleImages().toString(), "--id-prefix", prefix, "--limit", Integer.toString(n));
    }

    /** The ids {@link #produceImages} gives: {@code <prefix>0} to {@code <prefix><n - 1>}. */
    public static java.util.Set<String> ids(String prefix, int n) {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    /** The Fashion-MNIST sample shipped in data/. */
    public static Path sampleImages() {
        return repoRoot().resolve("data/fashion-mnist/t10k-images-idx3-ubyte.gz");
    }

    /** Waits for a line of the process's output to match; returns the first group. */
    public String awaitLine(Process p, Pattern pattern, Duration timeout) throws Exception {
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

    /** Waits for the process to end; fails unless it ends in time with exit code 0. */
    public void awaitSuccess(Process p, Duration timeout) throws InterruptedException {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name(p) + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(name(p) + " exited with " + p.exitValue());
        }
    }

    public String output(Process p) throws IOException {
        return Files.readString(started.get(p), StandardCharsets.UTF_8);
    }

    public String name(Process p) {
        String file = started.get(p).getFileName().toString();
        return file.substring(0, file.length() - ".log".length());
    }

    public List<Process> all() {
        return List.copyOf(started.keySet());
    }

    /** Every process's output, to print when a test fails. */
    public void printOutputs() {
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

    /** Newest first: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() throws InterruptedException {
        List<Process> processes = new ArrayList<>(started.keySet());
        Collections.reverse(processes);
        for (Process p : processes) {
            if (!p.isAlive()) {
                continue;
            }
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                System.out.println("[JarProcesses] " + name(p) + " did not stop within 10 s of SIGTERM; killing it");
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A free TCP port on 127.0.0.1. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code --set name=value} for each of the values, as `run` takes them. */
    public static String[] settings(String... values) {
        return java.util.stream.Stream.of(values).flatMap(v -> java.util.stream.Stream.of("--set", v))
                .toArray(String[]::new);
    }
}
