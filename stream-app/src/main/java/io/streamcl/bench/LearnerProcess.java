package io.streamcl.bench;

import io.streamcl.config.Setting;
import io.streamcl.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The learner as it is deployed: {@code run} in a JVM of its own, started from this process's classpath
 * with native memory tracking on, so that what it holds is measured apart from the broker and the
 * producer. Its output goes to a log file. Closing stops it as Ctrl-C does (its shutdown hook closes
 * Kafka Streams), and kills it if it has not stopped within a minute; so does stopping bench.
 */
final class LearnerProcess implements AutoCloseable {
    private static final long STOP_SECONDS = 60;

    private final Process process;
    private final Path log;
    /** Stops the learner should bench itself be stopped (Ctrl-C) before {@link #close}: it is not left running. */
    private final Thread orphanGuard;

    private LearnerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        orphanGuard = new Thread(process::destroy, "learner-process-stop");
        Runtime.getRuntime().addShutdownHook(orphanGuard);
    }

    /** Starts {@code run} with every setting of {@code settings}, and a heap limit unless {@code heap} is empty. */
    static LearnerProcess start(Settings settings, String heap, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:NativeMemoryTracking=summary"));
        if (!heap.isBlank()) {
            command.add("-Xmx" + heap.strip());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.streamcl.cli.Main", "run",
                "--progress-seconds", "30"));
        for (Setting<?> s : settings.all()) {
            // it measures the learner, not an HTTP server; and no two runs may fight for one port
            String value = s == Settings.HTTP_PORT ? "-1" : settings.text(s);
            if (!value.isEmpty()) { // an empty setting is its default: not passed, so it is not parsed
                command.addAll(List.of("--set", s.name() + "=" + value));
            }
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LearnerProcess(p, log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of its log, to say why it stopped. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(orphanGuard);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it stops the learner too
        }
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
