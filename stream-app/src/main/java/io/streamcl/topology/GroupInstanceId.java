package io.streamcl.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The consumer group's static member id of the instance that owns a state directory (KIP-345): a restarted
 * instance rejoins as the member it was and gets its tasks back at once, instead of waiting for the dead
 * member's session to time out (45 s) before the group rebalances.
 *
 * <p>The id is a random one, kept in the application's state directory. Kafka Streams locks that directory, so
 * no two live instances share it, and a restart on the same directory (the case that needs the id) finds it
 * again. An instance on a new directory is a new member, as it would be without static membership.
 */
final class GroupInstanceId {
    private static final String FILE = ".streamcl-group-instance-id";
    private static final Pattern VALID = Pattern.compile("streamcl-[0-9a-f-]{36}");

    private GroupInstanceId() {}

    /** The id kept under {@code appStateDir}; a new one is made and kept there when it holds none. */
    static String of(Path appStateDir) {
        Path file = appStateDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (VALID.matcher(kept).matches()) {
                    return kept;
                }
            }
            String id = "streamcl-" + UUID.randomUUID();
            keep(appStateDir, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the group instance id in the state directory " + appStateDir
                    + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code id} under {@code appStateDir} again, e.g. after Kafka Streams wiped the directory. */
    static void keep(Path appStateDir, String id) {
        try {
            Files.createDirectories(appStateDir);
            Files.writeString(appStateDir.resolve(FILE), id + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the group instance id in the state directory " + appStateDir
                    + ": " + e.getMessage(), e);
        }
    }
}
