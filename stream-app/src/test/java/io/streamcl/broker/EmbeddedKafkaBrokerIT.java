package io.streamcl.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamcl.cli.BrokerCommand;
import io.streamcl.testing.FaultyProxy;
import io.streamcl.testing.TestCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@Timeout(120)
class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "broker-test";

    @TempDir Path tmp;

    @Test
    void shouldTakeScramLoginsOverTlsOnTheSaslSslListenerAndRefuseAWrongPassword() throws Exception {
        TestCertificate cert = TestCertificate.create(tmp, "store-secret");
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults().withSaslSsl(
                new EmbeddedKafkaBroker.SaslSslListener(0, cert.keystore(), cert.password(),
                        Map.of("alice", "alice-secret")));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
            String bootstrap = broker.saslSslBootstrapServers();
            assertThat(bootstrap).startsWith("127.0.0.1:").isNotEqualTo(broker.bootstrapServers());

            try (Admin alice = Admin.create(scramClient(bootstrap, cert, "alice", "alice-secret"))) {
                alice.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                // the broker's metadata cache learns of a created topic a moment after the controller answers
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(alice.listTopics().names().get(30, TimeUnit.SECONDS)).contains(TOPIC));
            }
            try (Admin intruder = Admin.create(scramClient(bootstrap, cert, "alice", "wrong"))) {
                assertThatThrownBy(() -> intruder.listTopics().names().get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    private static Map<String, Object> scramClient(String bootstrap, TestCertificate cert, String user, String password) {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";",
                "ssl.truststore.type", "PKCS12", "ssl.truststore.location", cert.truststore().toString(),
                "ssl.truststore.password", cert.password());
    }

    @Test
    void shouldKeepTopicsAndRecordsAcrossRestartOnSameDataDirAndFreePortOnClose() throws Exception {
        Path dataDir = tmp.resolve("kafka-data");
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults().withDataDir(dataDir);

        String clusterId;
        int port;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options)) {
            port = broker.port();
            clusterId = broker.clusterId();
            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(broker.dataDir()).isEqualTo(dataDir.toAbsolutePath());
            assertThat(dataDir.resolve("meta.properties")).exists();
            assertThat(clusterId).isNotBlank();

            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
                for (Node n : admin.describeCluster().nodes().get()) {
                    assertThat(n.host()).as("advertised host").isEqualTo("127.0.0.1");
                }
            }
            produce(broker, "k1", "v1");
            assertThat(consumeAll(broker, TOPIC, 1)).containsExactly("k1=v1");
        }

        assertThat(dataDir).as("a given data dir is kept").isDirectory();
        assertPortFree(port);

        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.start(options)) {
            assertThat(again.clusterId()).as("not formatted twice").isEqualTo(clusterId);
            try (Admin admin = admin(again)) {
                assertThat(admin.listTopics().names().get()).contains(TOPIC);
            }
            produce(again, "k2", "v2");
            assertThat(consumeAll(again, TOPIC, 2)).containsExactly("k1=v1", "k2=v2");
        }
    }

    @Test
    void shouldListenOnLoopbackOnlyWithAppDefaultsAndDeleteTempDirOnClose() throws Exception {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(
                EmbeddedKafkaBroker.Options.defaults().withNumPartitions(3))) {
            dataDir = broker.dataDir();
            assertThat(dataDir).isDirectory();

            // reachable on loopback, refused on every other address of this host
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), broker.port()), 2_000);
            }
            for (InetAddress addr : nonLoopbackAddresses()) {
                for (int p : new int[] {broker.port(), broker.controllerPort()}) {
                    try (Socket s = new Socket()) {
                        assertThatThrownBy(() -> s.connect(new InetSocketAddress(addr, p), 2_000))
                                .as("connect to %s:%d", addr.getHostAddress(), p)
                                .isInstanceOf(IOException.class);
                    }
                }
            }

            try (Admin admin = admin(broker)) {
                admin.createTopics(List.of(new NewTopic("default-partitions", Optional.empty(), Optional.empty())))
                        .all().get();
                assertThat(admin.describeTopics(List.of("default-partitions")).allTopicNames().get()
                        .get("default-partitions").partitions()).hasSize(3);

                ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
                Config cfg = admin.describeConfigs(List.of(node)).all().get().get(node);
                assertThat(cfg.get("auto.create.topics.enable").value()).isEqualTo("false");
                assertThat(cfg.get("message.max.bytes").value()).isEqualTo(Integer.toString(64 * 1024 * 1024));
                assertThat(cfg.get("offsets.topic.replication.factor").value()).isEqualTo("1");
                assertThat(cfg.get("transaction.state.log.min.isr").value()).isEqualTo("1");
                assertThat(cfg.get("listeners").value()).doesNotContain("0.0.0.0").contains("127.0.0.1");
            }
        }
        assertThat(dataDir).as("a temporary data dir is deleted on close").doesNotExist();
    }

    @Test
    void aClientBootstrappedThroughTheProxiedListenerShouldBeToldToReconnectThroughTheProxy() throws Exception {
        int behind;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            behind = s.getLocalPort();
        }
        try (FaultyProxy proxy = FaultyProxy.start(behind);
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()
                        .withProxiedListener(new EmbeddedKafkaBroker.ProxiedListener(behind, proxy.port())))) {
            assertThat(advertisedPorts(proxy.address())).containsExactly(proxy.port());
            assertThat(advertisedPorts(broker.bootstrapServers())).containsExactly(broker.port());
            assertThat(proxy.connectionsAccepted()).isPositive();
        }
    }

    private static List<Integer> advertisedPorts(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeCluster().nodes().get(20, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .map(Node::port).toList();
        }
    }

    @Test
    void shouldRefuseAPortInUseWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> EmbeddedKafkaBroker.start(
                            EmbeddedKafkaBroker.Options.defaults().withPort(taken.getLocalPort())))
                    .isInstanceOf(EmbeddedKafkaBroker.PortInUseException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void brokerCommandShouldExitWithOneAndAClearMessageWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int rc = new CommandLine(new BrokerCommand())
                    .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("--port", Integer.toString(taken.getLocalPort()), "--data-dir", tmp.resolve("d").toString());
            assertThat(rc).isEqualTo(1);
            assertThat(err.toString())
                    .contains("127.0.0.1:" + taken.getLocalPort(), "already in use")
                    .doesNotContain("Exception", "\tat ");
            assertThat(out.toString()).isEmpty();
        }
    }

    @Test
    void brokerCommandShouldPrintWhereItListensAndStopCleanlyWhenInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        AtomicInteger rc = new AtomicInteger(-1);
        Path dataDir = tmp.resolve("cli-data");
        Thread t = new Thread(() -> rc.set(new CommandLine(new BrokerCommand()).setOut(new PrintWriter(out, true))
                .execute("--port", "0", "--data-dir", dataDir.toString())));
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!out.toString().contains("Ctrl-C") && t.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Matcher m = Pattern.compile(
                        "^Kafka broker \\(KRaft\\) listening on 127\\.0\\.0\\.1:(\\d+) — data in (.+); Ctrl-C to stop$")
                .matcher(out.toString().strip());
        assertThat(m.matches()).as("one line, got: %s", out).isTrue();
        assertThat(Path.of(m.group(2))).isEqualTo(dataDir.toAbsolutePath()).isDirectory();

        t.interrupt();
        t.join(30_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(rc.get()).isZero();
        assertPortFree(Integer.parseInt(m.group(1)));
        assertThat(dataDir.resolve("meta.properties")).exists();
    }

    @Test
    void shouldRejectInvalidOptions() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withPort(9100)
                .withProxiedListener(new EmbeddedKafkaBroker.ProxiedListener(9100, 9101)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddedKafkaBroker.ProxiedListener(0, 9101))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withNumPartitions(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withPort(70_000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmbeddedKafkaBroker.Options.defaults().withPort(9000).withControllerPort(9000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static void produce(EmbeddedKafkaBroker broker, String key, String value) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static List<String> consumeAll(EmbeddedKafkaBroker broker, String topic, int expected) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
        }
        return seen;
    }

    private static void assertPortFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        }
    }

    private static Set<InetAddress> nonLoopbackAddresses() throws IOException {
        Set<InetAddress> out = new java.util.LinkedHashSet<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp()) continue;
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) out.add(a);
            }
        }
        return out;
    }
}
