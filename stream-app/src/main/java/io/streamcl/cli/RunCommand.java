package io.streamcl.cli;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The learner against any Kafka: runs until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the learner (train + embed) against a Kafka cluster until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--progress-seconds", defaultValue = "10", description = "seconds between progress lines (0 = none)")
    int progressSeconds;

    @Override
    public Integer call() throws Exception {
        Settings settings;
        try {
            settings = settingsOptions.load(Map.of());
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        PipelineMetrics metrics = new PipelineMetrics();
        try (LearnerApp app = LearnerApp.start(settings, metrics)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "shutdown"));
            Progress progress = new Progress(metrics, ItemKinds.fromSettings(settings).all().stream()
                    .map(ItemKind::name).toList());
            while (!stopped.await(Math.max(1, progressSeconds), java.util.concurrent.TimeUnit.SECONDS)) {
                if (progressSeconds > 0) {
                    System.err.println(progress.line());
                }
            }
        }
        return 0;
    }
}
