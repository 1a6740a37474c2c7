package io.streamcl.cli;

import io.streamcl.config.AuthenticationFailure;
import io.streamcl.config.KafkaClients;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.TopicDescriptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Loads a file of raw items and produces them to raw-items. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Produce raw items from a file to the raw-items topic (ids are <id-prefix><index>, index from 0).",
                "Events are replayed in time order, ids <id-prefix><user>:<timestamp ms>:<index>, each user's on one"
                        + " partition."})
public final class ProduceCommand implements Callable<Integer> {
    /** How often to ask again while the topic is missing. */
    private static final Duration TOPIC_POLL = Duration.ofMillis(500);

    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--topic", defaultValue = "raw-items", description = "default: ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--topic-timeout", defaultValue = "120", paramLabel = "S",
            description = "wait up to S seconds for the topic (and the broker) to appear, as `run` creates it;"
                    + " 0: fail at once if it is missing (default ${DEFAULT-VALUE})")
    int topicTimeoutSeconds;

    @Mixin
    ItemSource source;

    private boolean announced;
    /** Bootstrap and security, read once the options are parsed. */
    private Map<String, Object> connection;
    private String bootstrapServers;

    @Override
    public Integer call() {
        String problem = topicTimeoutSeconds < 0 ? "--topic-timeout must be >= 0" : source.problem();
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        connection = settingsOptions.kafkaClientProperties();
        bootstrapServers = KafkaClients.bootstrap(connection);
        awaitTopic();
        long start = System.nanoTime();
        long[] skipped = {0};
        long sent = 0;
        try (RawItemProducer producer = new RawItemProducer(connection, topic, KindRegistry.standard()::partitionKey);
                Stream<RawItem> items = source.items(bad -> {
                    skipped[0]++;
                    System.err.println("skipped " + bad);
                })) {
            for (Iterator<RawItem> it = items.iterator(); it.hasNext(); ) {
                producer.send(it.next());
                sent++;
            }
            producer.flush();
            System.out.printf("produced %d %s items to %s (%d acknowledged, %d failed, %d skipped) in %.1f s%n",
                    sent, source.kind, topic, producer.acked(), producer.failed(), skipped[0],
                    (System.nanoTime() - start) / 1e9);
            if (producer.failed() > 0) {
                System.err.println("first send error: " + producer.firstError());
                return 1;
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot read " + source.describe() + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    /**
     * `produce` typed right after `run &` may start before the learner has created its topics, or even before
     * the broker listens. Sending at once is no way to wait: a producer's metadata requests ask the broker to
     * auto-create the topic (no client setting turns that off), and a broker that allows it would make the topic
     * with its default partition count, not the learner's. So nothing is sent until the topic is described.
     */
    private void awaitTopic() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(topicTimeoutSeconds);
        String brokerAndTopic = "a Kafka broker at " + bootstrapServers + " and topic " + topic + " on it";
        try {
            if (!ListeningBroker.await(bootstrapServers, deadline, TOPIC_POLL, () -> announce(brokerAndTopic))) {
                throw new IllegalStateException(noBroker());
            }
            try (Admin admin = Admin.create(connection)) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                TopicDescriptions.describeOnceKnown(admin, List.of(topic), left, TOPIC_POLL, notYet -> announce(
                        isMissingTopic(notYet) ? "topic " + topic + " on " + bootstrapServers : brokerAndTopic));
            }
        } catch (ExecutionException e) {
            AuthenticationFailure.rethrowIfAny(e, connection);
            throw new IllegalStateException(whyNotThere(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(whyNotThere(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        } catch (KafkaException e) { // from Admin.create, which wraps what is wrong with an address not HOST:PORT
            Throwable why = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot use --bootstrap-servers " + bootstrapServers + ": "
                    + why.getMessage(), e);
        }
    }

    /** Says once what `produce` waits for: a second line would only repeat it. */
    private void announce(String awaited) {
        if (!announced) {
            announced = true;
            System.err.println("waiting for " + awaited + " (the learner's `run` creates it) for up to "
                    + topicTimeoutSeconds + " s");
        }
    }

    private String whyNotThere(Throwable error) {
        if (isMissingTopic(error)) {
            return "topic " + topic + " did not appear on " + bootstrapServers + within()
                    + ": start the learner first (`run` creates it), or check --bootstrap-servers and --topic";
        }
        if (error instanceof org.apache.kafka.common.errors.TimeoutException || error instanceof TimeoutException) {
            return noBroker();
        }
        return "cannot describe topic " + topic + " on " + bootstrapServers + ": " + error.getMessage();
    }

    private String noBroker() {
        return "no Kafka broker answered at " + bootstrapServers + within()
                + ": start the broker and the learner (`run`) first, or check --bootstrap-servers";
    }

    private String within() {
        return " within " + topicTimeoutSeconds + " s (--topic-timeout)";
    }

    private static boolean isMissingTopic(Throwable error) {
        return error instanceof UnknownTopicOrPartitionException;
    }
}
