package io.streamcl.testing;

import io.streamcl.broker.EmbeddedKafkaBroker;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Injects a real Kafka broker into test methods and constructors: declare a {@link Broker} parameter and
 * {@code @ExtendWith(KafkaBrokerExtension.class)}. One broker serves the whole test JVM; it is kept in
 * the root extension store and closed when the test run ends.
 *
 * <p>Where the broker comes from, first match wins:
 * <ol>
 *   <li>{@code -Dkafka.bootstrap=host:port} or env {@code KAFKA_BOOTSTRAP_SERVERS}: an already running broker
 *       ({@link Mode#EXTERNAL}); its topics are the caller's business.
 *   <li>a usable Docker engine: a Testcontainers {@link KafkaContainer} of {@code apache/kafka}
 *       ({@code -Dkafka.image} overrides the image) ({@link Mode#TESTCONTAINERS}).
 *   <li>otherwise the in-JVM {@link EmbeddedKafkaBroker} on 127.0.0.1 ({@link Mode#EMBEDDED}).
 * </ol>
 * {@code -Dkafka.mode=embedded|testcontainers|external} skips the search (e.g. to avoid probing Docker).
 * Every mode accepts 64 MiB records and does not auto-create topics, like the app's own broker.
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap";
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String IMAGE_PROPERTY = "kafka.image";
    public static final String MODE_PROPERTY = "kafka.mode";
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

    /** Where the broker runs. */
    public enum Mode { EXTERNAL, TESTCONTAINERS, EMBEDDED }

    /** The broker shared by this test JVM. Tests must not stop it. */
    public interface Broker {
        /** For {@code bootstrap.servers}. */
        String bootstrapServers();

        Mode mode();
    }

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Broker.class;
    }

    @Override
    public Broker resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // the root store lives as long as the test run; AutoCloseable values are closed when it ends
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> start(), Running.class);
    }

    private static Running start() {
        String forced = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        String external = firstNonBlank(System.getProperty(BOOTSTRAP_PROPERTY), System.getenv(BOOTSTRAP_ENV));
        long t0 = System.nanoTime();
        Running running = switch (forced) {
            case "external" -> {
                if (external == null) {
                    throw new IllegalStateException(MODE_PROPERTY + "=external needs -D" + BOOTSTRAP_PROPERTY
                            + " or env " + BOOTSTRAP_ENV);
                }
                yield new Running(external, Mode.EXTERNAL, () -> { });
            }
            case "testcontainers" -> startContainer();
            case "embedded" -> startEmbedded();
            case "auto" -> {
                if (external != null) yield new Running(external, Mode.EXTERNAL, () -> { });
                if (dockerUsable()) {
                    try {
                        yield startContainer();
                    } catch (RuntimeException e) { // e.g. an engine that cannot pull the image
                        log("Testcontainers could not start Kafka (" + e + "); using the in-JVM broker");
                    }
                }
                yield startEmbedded();
            }
            default -> throw new IllegalStateException(
                    "-D" + MODE_PROPERTY + " must be auto, external, testcontainers or embedded, was: " + forced);
        };
        log("mode=" + running.mode() + " bootstrap=" + running.bootstrapServers()
                + " ready in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        return running;
    }

    private static Running startEmbedded() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults());
        return new Running(broker.bootstrapServers(), Mode.EMBEDDED, broker::close);
    }

    @SuppressWarnings("resource") // stopped by Running.close()
    private static Running startContainer() {
        KafkaContainer container = new KafkaContainer(
                        DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE)))
                .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(EmbeddedKafkaBroker.MESSAGE_MAX_BYTES))
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1");
        try {
            container.start();
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
        return new Running(container.getBootstrapServers(), Mode.TESTCONTAINERS, container::stop);
    }

    /** {@code isDockerAvailable()} itself throws on some half-configured engines: treat that as "no Docker". */
    private static boolean dockerUsable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            log("Docker is not usable (" + e + ")");
            return false;
        }
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) return a.trim();
        if (b != null && !b.isBlank()) return b.trim();
        return null;
    }

    private static void log(String message) {
        System.out.println("[KafkaBrokerExtension] " + message);
    }

    private record Running(String bootstrapServers, Mode mode, Stopper stopper) implements Broker, AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.stop();
        }
    }

    @FunctionalInterface
    private interface Stopper {
        void stop() throws Exception;
    }
}
