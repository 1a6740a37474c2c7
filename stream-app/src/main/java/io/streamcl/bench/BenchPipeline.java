package io.streamcl.bench;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.config.Settings;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.kind.ItemKinds;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.RawItem;
import io.streamcl.serve.ServedLearner;
import io.streamcl.topology.FeedQueries;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole product for one benchmark run: a fresh in-JVM broker, a fresh state directory and the
 * learner app on them, so that no run inherits another's topics, stores or models. Closing stops all
 * three and deletes what they wrote.
 */
public final class BenchPipeline implements AutoCloseable {
    /** The group of the broker's threads. */
    public static final ThreadGroup BROKER_THREADS = new ThreadGroup("streamcl-bench-broker");

    private final Path stateDir;
    private final EmbeddedKafkaBroker broker;
    private final Settings settings;
    private final PipelineMetrics metrics = new PipelineMetrics();
    private final ServedLearner served; // null unless started served
    private final LearnerApp app;
    private final RawItemProducer producer;

    private BenchPipeline(Settings base, String applicationId, boolean serve) throws IOException {
        stateDir = Files.createTempDirectory("streamcl-bench-state");
        // started in a thread group of its own, which every broker thread inherits: CpuByThread tells them apart
        broker = OwnThread.call(BROKER_THREADS, "broker-start",
                () -> EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()));
        // the bench's own broker listens in PLAINTEXT: security settings meant for another cluster do not apply
        settings = base.withPlaintextBroker(broker.bootstrapServers()).with(Map.of(
                Settings.STATE_DIR.name(), stateDir.toString(), Settings.APPLICATION_ID.name(), applicationId));
        // served: the learner and its HTTP server, as `run` starts them, on a free port of 127.0.0.1 without a token
        served = serve ? ServedLearner.start(settings.with(Map.of(Settings.HTTP_PORT.name(), "0",
                Settings.HTTP_HOST.name(), "127.0.0.1", Settings.HTTP_TOKEN.name(), "")),
                ItemKinds.fromSettings(settings)) : null;
        app = serve ? served.app() : LearnerApp.start(settings, metrics);
        producer = new RawItemProducer(settings.kafkaClientProperties(), settings.get(Settings.TOPIC_RAW_ITEMS),
                KindRegistry.standard()::partitionKey);
    }

    /** Starts a broker and the app with {@code base} settings pointed at it. */
    public static BenchPipeline start(Settings base, String applicationId) {
        return start(base, applicationId, false);
    }

    /** The same, with the HTTP server that {@code run} starts beside the app ({@link #httpPort()}). */
    public static BenchPipeline startServed(Settings base, String applicationId) {
        return start(base, applicationId, true);
    }

    private static BenchPipeline start(Settings base, String applicationId, boolean serve) {
        try {
            return new BenchPipeline(base, applicationId, serve);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Settings settings() {
        return settings;
    }

    /** Interactive queries of the app's stores; only when started served. */
    public FeedQueries queries() {
        return app.queries().orElseThrow(() -> new IllegalStateException("the pipeline was not started served"));
    }

    /** The port its HTTP server listens on at 127.0.0.1; only when started served. */
    public int httpPort() {
        if (served == null) {
            throw new IllegalStateException("the pipeline was not started served");
        }
        return served.httpPort().orElseThrow();
    }

    public PipelineMetrics metrics() {
        return served != null ? served.metrics() : metrics;
    }

    /** Sends items to raw-items without waiting for acks. */
    public void send(List<RawItem> items) {
        items.forEach(producer::send);
    }

    public void send(RawItem item) {
        producer.send(item);
    }

    /** Waits for every sent item to be acked; fails if any was refused. */
    public void flush() {
        producer.flush();
        if (producer.failed() > 0) {
            throw new IllegalStateException(producer.failed() + " items were not produced", producer.firstError());
        }
    }

    /**
     * Polls {@code done} every 20 ms, calling {@code onPoll} before each check.
     *
     * @return whether it held before {@code timeoutNanos}
     */
    public static boolean await(BooleanSupplier done, long timeoutNanos, Runnable onPoll) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < deadline) {
            onPoll.run();
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() {
        try {
            producer.close();
            if (served != null) {
                served.close();
            } else {
                app.close();
            }
        } finally {
            broker.close();
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
