package io.streamcl.cli;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.serve.CannotListenException;
import io.streamcl.serve.ServedLearner;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The learner against any Kafka: runs until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the learner (train + embed) against a Kafka cluster until Ctrl-C.",
                "Unless http.port=-1, it also serves /health, /ready, /metrics, /embeddings/{id}, /neighbours,"
                        + " /recommend and the dashboard (/) over HTTP."})
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
        ItemKinds kinds = ItemKinds.fromSettings(settings);
        ServedLearner started;
        try {
            started = ServedLearner.start(settings, kinds);
        } catch (CannotListenException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        try (ServedLearner app = started) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }, "shutdown"));
            Progress progress = new Progress(app.metrics(), kinds.all().stream().map(ItemKind::name).toList());
            while (!stopped.await(Math.max(1, progressSeconds), java.util.concurrent.TimeUnit.SECONDS)) {
                if (progressSeconds > 0) {
                    System.err.println(progress.line());
                }
            }
        }
        return 0;
    }
}
