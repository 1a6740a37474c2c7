package io.streamcl.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which Kafka cluster an application's state directory belongs to. The default state directory is shared
 * by every run on a machine; state left by a broker that is gone (a demo's in-JVM broker, a test's) makes
 * Kafka Streams log pages of TaskCorruptedException before it restores from scratch. Recognised here, it
 * is said in one line and the state is wiped before the app starts.
 */
final class StateDirectoryOwner {
    private static final String FILE = ".streamcl-cluster-id";

    private StateDirectoryOwner() {}

    /** The cluster the state under {@code appStateDir} was made with, if it says. */
    static Optional<String> recorded(Path appStateDir) {
        Path file = appStateDir.resolve(FILE);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void record(Path appStateDir, String clusterId) {
        try {
            Files.createDirectories(appStateDir);
            Files.writeString(appStateDir.resolve(FILE), clusterId + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the state directory " + appStateDir + ": "
                    + e.getMessage(), e);
        }
    }
}
