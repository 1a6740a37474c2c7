package io.streamcl.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * <p>The id is the host's name and a random part kept in the application's state directory. Kafka Streams locks
 * that directory, so no two live instances on a host share it, and a restart on the same directory (the case
 * that needs the id) finds it again. The host's name keeps apart two hosts started from copies of one
 * directory, which would otherwise fence each other out of the group. An instance on a new directory or
 * another host is a new member, as it would be without static membership.
 *
 * @param host the host's name, as a group instance id may hold it
 * @param kept the random part, kept in the state directory
 */
record GroupInstanceId(String host, String kept) {
    private static final String FILE = ".streamcl-group-instance-id";
    private static final Pattern KEPT = Pattern.compile("[0-9a-f-]{36}");
    /** What a group instance id may not hold. */
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int LONGEST_HOST = 64;

    GroupInstanceId {
        host = NOT_ALLOWED.matcher(host).replaceAll("-");
        host = host.length() <= LONGEST_HOST ? host : host.substring(0, LONGEST_HOST);
    }

    /** This host's member on {@code appStateDir}. */
    static GroupInstanceId of(Path appStateDir) {
        return of(appStateDir, localHostName());
    }

    /** {@code host}'s member on {@code appStateDir}; the random part is made and kept there when it holds none. */
    static GroupInstanceId of(Path appStateDir, String host) {
        Path file = appStateDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (KEPT.matcher(kept).matches()) {
                    return new GroupInstanceId(host, kept);
                }
            }
        } catch (IOException e) {
            throw cannotKeep(appStateDir, e);
        }
        GroupInstanceId made = new GroupInstanceId(host, UUID.randomUUID().toString());
        made.keepIn(appStateDir);
        return made;
    }

    /** The value of {@code group.instance.id}. */
    String id() {
        return "streamcl-" + host + "-" + kept;
    }

    /** Writes the random part under {@code appStateDir}, e.g. again after Kafka Streams wiped the directory. */
    void keepIn(Path appStateDir) {
        try {
            Files.createDirectories(appStateDir);
            Files.writeString(appStateDir.resolve(FILE), kept + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotKeep(appStateDir, e);
        }
    }

    private static UncheckedIOException cannotKeep(Path appStateDir, IOException e) {
        return new UncheckedIOException("cannot keep the group instance id in the state directory " + appStateDir
                + ": " + e.getMessage(), e);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }
}
