package io.streamcl.testing;

import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The `run` command of a learner small enough to keep up on two cores (a tiny image encoder, small batches,
 * frequent snapshots and checkpoints), so that a fault test sees many model versions in a minute or two.
 */
public final class SmallLearner {
    /** The learner's first log line once its topology runs, or its first progress line. */
    public static final Pattern STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] image:)");
    /** A progress line once the first image is embedded. */
    public static final Pattern EMBEDDING = Pattern.compile("image: in \\d+ \\| embedded ([1-9]\\d*)");

    private SmallLearner() {}

    /** How often the learner's log says it replaced a failed stream thread. */
    public static long threadsReplaced(String log) {
        return Pattern.compile("stream thread failed; replacing it").matcher(log).results().count();
    }

    /** {@code run} against the bootstrap address, with a progress line every second and these settings added. */
    public static String[] imageRun(String bootstrap, Path stateDir, String... more) {
        String[] image = {"state.dir=" + stateDir, "kinds=image", "batch.size=32", "replay.capacity=128",
            "replay.updates-per-item=4", "snapshot.every-steps=10", "checkpoint.interval.ms=1000",
            "image.conv-channels=8,16", "embedding.dim=32", "projection.dim=16", "bank.size=256", "batch.linger.ms=300",
            "topic.partitions=2", "promotion.interval.ms=2000", "device=cpu"};
        return run(bootstrap, Stream.concat(Stream.of(image), Stream.of(more)).toArray(String[]::new));
    }

    /** {@code run} against the bootstrap address, with a progress line every second and exactly these settings. */
    public static String[] run(String bootstrap, String... settings) {
        return Stream.concat(Stream.of("run", "--bootstrap-servers", bootstrap, "--progress-seconds", "1"),
                Stream.of(JarProcesses.settings(settings))).toArray(String[]::new);
    }
}
