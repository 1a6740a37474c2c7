package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's flow against a secured cluster: a broker whose client listener is SASL_SSL (SCRAM-SHA-512 over
 * TLS, a certificate made for this run), and `run`, `produce`, `export` and `models` as OS processes of the shaded
 * jar, each given the connection by {@code --config client.properties}. A wrong password fails at once with one
 * line, and no password is ever printed.
 */
@Timeout(360)
class SecuredClusterIT {
    private static final int ITEMS = 300;
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-Pw-4711";
    private static final String WRONG_PASSWORD = "mallory-Pw-0815";
    private static final String STORE_PASSWORD = "store-Pw-2342";
    private static final Pattern LEARNER_STARTED = Pattern.compile("(learner started|\\[\\s*\\d+s\\] image:)");

    @TempDir
    Path tmp;

    @Test
    void readmeFlowOverSaslSslAndAWrongPasswordFailsAtOnce() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        TestCertificate cert = TestCertificate.create(tmp, STORE_PASSWORD);
        EmbeddedKafkaBroker.Options options = EmbeddedKafkaBroker.Options.defaults().withSaslSsl(
                new EmbeddedKafkaBroker.SaslSslListener(0, cert.keystore(), cert.password(), Map.of(USER, PASSWORD)));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(options);
                JarProcesses procs = new JarProcesses(jar, tmp)) {
            String bootstrap = broker.saslSslBootstrapServers();
            Path client = clientProperties("client.properties", bootstrap, cert, PASSWORD);
            Path wrong = clientProperties("wrong.properties", bootstrap, cert, WRONG_PASSWORD);
            try {
                flowOverSaslSsl(procs, client);
                wrongPasswordFailsWithOneLine(procs, wrong, bootstrap);
                resolvedSettingsMaskTheSecrets(procs, client);
                for (Process p : procs.all()) {
                    assertThat(procs.output(p)).as("output of %s", procs.name(p))
                            .doesNotContain(PASSWORD).doesNotContain(WRONG_PASSWORD).doesNotContain(STORE_PASSWORD);
                }
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    private void flowOverSaslSsl(JarProcesses procs, Path client) throws Exception {
        Process run = procs.start("run", "run", "--config", client.toString(), "--progress-seconds", "5",
                "--set", "state.dir=" + tmp.resolve("state"),
                "--set", "batch.size=64", "--set", "replay.capacity=256", "--set", "snapshot.every-steps=5",
                // a small encoder so that training keeps up on a 2-core machine
                "--set", "image.conv-channels=8,16", "--set", "embedding.dim=32", "--set", "projection.dim=16",
                "--set", "bank.size=512", "--set", "batch.linger.ms=300", "--set", "topic.partitions=2",
                "--set", "kinds=image", "--set", "device=cpu");
        procs.awaitLine(run, LEARNER_STARTED, Duration.ofSeconds(90));

        Process produce = procs.start("produce", "produce", "--config", client.toString(), "--kind", "image",
                "--format", "idx", "--input", JarProcesses.sampleImages().toString(), "--id-prefix", "s-",
                "--limit", Integer.toString(ITEMS));
        procs.awaitSuccess(produce, Duration.ofSeconds(120));
        assertThat(procs.output(produce)).contains("produced " + ITEMS + " image items to raw-items (" + ITEMS
                + " acknowledged, 0 failed, 0 skipped)");

        Path csv = tmp.resolve("e.csv");
        Process export = procs.start("export", "export", "--config", client.toString(), "--out", csv.toString(),
                "--wait-for", Integer.toString(ITEMS), "--timeout", "180");
        procs.awaitSuccess(export, Duration.ofSeconds(200));
        List<String> lines = Files.readAllLines(csv);
        TreeSet<String> embedded = lines.subList(1, lines.size()).stream().map(l -> l.substring(0, l.indexOf(',')))
                .collect(Collectors.toCollection(TreeSet::new));
        TreeSet<String> produced = IntStream.range(0, ITEMS).mapToObj(i -> "s-" + i)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(embedded).as("every id embedded").isEqualTo(produced);

        Process models = procs.start("models", "models", "--config", client.toString(), "--kind", "image");
        procs.awaitSuccess(models, Duration.ofSeconds(60));
        assertThat(procs.output(models)).containsPattern("image\\s+image-moco\\s+0\\s+0");
        assertThat(run.isAlive()).as("run still running").isTrue();
    }

    /** `run` and `produce` with a wrong password: exit code 1 and a line naming the user and the bootstrap. */
    private void wrongPasswordFailsWithOneLine(JarProcesses procs, Path wrong, String bootstrap) throws Exception {
        String refused = "authentication failed for user " + USER + " at bootstrap " + bootstrap + " (SASL_SSL)";
        Process produce = procs.start("produce-wrong-password", "produce", "--config", wrong.toString(), "--kind",
                "image", "--format", "idx", "--input", JarProcesses.sampleImages().toString(), "--limit", "5",
                "--topic-timeout", "60");
        Process run = procs.start("run-wrong-password", "run", "--config", wrong.toString(),
                "--set", "state.dir=" + tmp.resolve("state-wrong"), "--set", "application.id=streamcl-wrong",
                "--set", "kinds=image", "--set", "device=cpu");
        for (Process p : List.of(produce, run)) {
            // a hang guard, not a speed check: a refused login must end the process, not wait for a timeout
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s ended", procs.name(p)).isTrue();
            assertThat(p.exitValue()).as("%s exit code", procs.name(p)).isEqualTo(1);
            String out = procs.output(p);
            // Kafka's client logs its own line or two about the refused login; no stack trace, and ours says it all
            assertThat(out).as("%s output", procs.name(p)).contains(procs.name(p).split("-")[0] + ": " + refused)
                    .doesNotContain("\tat ");
        }
    }

    private void resolvedSettingsMaskTheSecrets(JarProcesses procs, Path client) throws Exception {
        Process settings = procs.start("settings-resolved", "settings", "--resolved", "--config", client.toString());
        procs.awaitSuccess(settings, Duration.ofSeconds(60));
        assertThat(procs.output(settings)).contains("security.protocol=SASL_SSL")
                .contains("sasl.jaas.config=[hidden]").contains("ssl.truststore.password=[hidden]");
    }

    private Path clientProperties(String name, String bootstrap, TestCertificate cert, String password)
            throws Exception {
        return Files.writeString(tmp.resolve(name), String.join("\n",
                "bootstrap.servers=" + bootstrap,
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + USER + "\" password=\"" + password + "\";",
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + cert.truststore(),
                "ssl.truststore.password=" + cert.password(),
                ""));
    }
}
