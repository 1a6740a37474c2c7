package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.cli.Main;
import io.streamcl.schema.RawItem;
import io.streamcl.schema.serde.AvroSerde;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * `produce` typed right after `run &` finds no topic yet, or no broker: it says once what it waits for, waits,
 * and then sends everything; after --topic-timeout it gives up with one line and exit code 1.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(120)
class ProduceWaitsForTopicIT {
    private static final int USERS = 4;
    private static final int EVENTS_PER_USER = 5;
    private static final Duration CREATE_AFTER = Duration.ofSeconds(2);

    @Test
    void shouldWaitForTheTopicThenProduceEveryItem(Broker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = "raw-items-wait-" + UUID.randomUUID();
        // like `run`, with a partition count no broker default has, so that an auto-created topic would show
        CompletableFuture<Void> created = CompletableFuture.runAsync(() -> {
            sleep(CREATE_AFTER);
            createTopic(bootstrap, topic, 3);
        });

        long start = System.nanoTime();
        Result produced = produce("--bootstrap-servers", bootstrap, "--topic", topic, "--topic-timeout", "60");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        created.get(30, TimeUnit.SECONDS);

        assertThat(produced.exit()).as("exit code; stderr: %s", produced.err()).isZero();
        assertThat(produced.err()).containsOnlyOnce("waiting for ")
                .contains("waiting for topic " + topic + " on " + bootstrap
                        + " (the learner's `run` creates it) for up to 60 s");
        assertThat(tookMs).as("waited for the topic").isGreaterThanOrEqualTo(CREATE_AFTER.toMillis());
        try (Admin admin = admin(bootstrap)) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }
        List<ConsumerRecord<String, RawItem>> got = TopicReader.readUntil(bootstrap, topic,
                AvroSerde.of(RawItem.class).deserializer(), r -> r.size() >= USERS * EVENTS_PER_USER,
                Duration.ofSeconds(30));
        assertThat(got).hasSize(USERS * EVENTS_PER_USER);
    }

    @Test
    void shouldGiveUpAfterTheTopicTimeoutWithOneLineAndExitCode1(Broker broker) throws Exception {
        String bootstrap = broker.bootstrapServers();
        String topic = "raw-items-never-" + UUID.randomUUID();

        long start = System.nanoTime();
        Result produced = produce("--bootstrap-servers", bootstrap, "--topic", topic, "--topic-timeout", "2");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(produced.exit()).isEqualTo(1);
        assertThat(produced.err()).containsOnlyOnce("waiting for topic " + topic).contains("produce: topic " + topic
                + " did not appear on " + bootstrap + " within 2 s (--topic-timeout): start the learner first"
                + " (`run` creates it), or check --bootstrap-servers and --topic");
        assertThat(tookMs).isBetween(2_000L, 15_000L);
        try (Admin admin = admin(bootstrap)) {
            assertThat(admin.listTopics().names().get()).as("not auto-created").doesNotContain(topic);
        }
    }

    @Test
    void shouldFailAtOnceWithTopicTimeout0(Broker broker) {
        String topic = "raw-items-never-" + UUID.randomUUID();

        Result produced = produce("--bootstrap-servers", broker.bootstrapServers(), "--topic", topic,
                "--topic-timeout", "0");

        assertThat(produced.exit()).isEqualTo(1);
        assertThat(produced.err()).doesNotContain("waiting for")
                .contains("produce: topic " + topic + " did not appear on " + broker.bootstrapServers() + " within 0 s");
    }

    @Test
    void shouldWaitQuietlyForABrokerThatIsNotThereAndSaySo() throws Exception {
        String bootstrap = "127.0.0.1:" + JarProcesses.freePort();

        Result produced = produce("--bootstrap-servers", bootstrap, "--topic-timeout", "1");

        assertThat(produced.exit()).isEqualTo(1);
        assertThat(produced.err().lines().toList()).containsExactly(
                "waiting for a Kafka broker at " + bootstrap + " and topic raw-items on it (the learner's `run`"
                        + " creates it) for up to 1 s",
                "produce: no Kafka broker answered at " + bootstrap + " within 1 s (--topic-timeout): start the broker"
                        + " and the learner (`run`) first, or check --bootstrap-servers");
    }

    @Test
    void shouldWaitForABrokerThatStartsLateAndThenForItsTopic() throws Exception {
        int port = JarProcesses.freePort();
        String bootstrap = "127.0.0.1:" + port;
        String topic = "raw-items";
        CompletableFuture<EmbeddedKafkaBroker> late = CompletableFuture.supplyAsync(() -> {
            sleep(CREATE_AFTER);
            EmbeddedKafkaBroker started = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults().withPort(port));
            createTopic(bootstrap, topic, 2);
            return started;
        });
        try {
            Result produced = produce("--bootstrap-servers", bootstrap, "--topic-timeout", "90");

            assertThat(produced.exit()).as("exit code; stderr: %s", produced.err()).isZero();
            assertThat(produced.err()).containsOnlyOnce("waiting for ")
                    .contains("waiting for a Kafka broker at " + bootstrap + " and topic raw-items on it");
            assertThat(TopicReader.readUntil(bootstrap, topic, AvroSerde.of(RawItem.class).deserializer(),
                    r -> r.size() >= USERS * EVENTS_PER_USER, Duration.ofSeconds(30))).hasSize(USERS * EVENTS_PER_USER);
        } finally {
            late.get(60, TimeUnit.SECONDS).close();
        }
    }

    private record Result(int exit, String err) {}

    /** Synthetic events through the real entry point, so that start-up errors read as a user sees them. */
    private static Result produce(String... args) {
        List<String> argv = new ArrayList<>(List.of("produce", "--kind", "event", "--synthetic", "--users",
                Integer.toString(USERS), "--events-per-user", Integer.toString(EVENTS_PER_USER), "--catalogue", "50"));
        argv.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.execute(argv.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static void createTopic(String bootstrap, String topic, int partitions) {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
