package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `settings --resolved` shows what each client is given, and never a secret. */
class SettingsCommandTest {

    @Test
    void shouldShowPassedThroughSettingsWithSecretsMasked(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), String.join("\n",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"alice\" password=\"jaas-secret\";",
                "ssl.truststore.location=/tmp/trust.p12",
                "ssl.truststore.password=trust-secret",
                ""));
        String out = stdout("settings", "--resolved", "--config", file.toString(),
                "--set", "ssl.keystore.password=keystore-secret");

        assertThat(out).contains("security.protocol=SASL_SSL   # file " + file + ", passed through to every Kafka client")
                .contains("sasl.mechanism=SCRAM-SHA-512")
                .contains("ssl.truststore.location=/tmp/trust.p12")
                .contains("sasl.jaas.config=[hidden]")
                .contains("ssl.truststore.password=[hidden]")
                .contains("ssl.keystore.password=[hidden]   # flag")
                .doesNotContain("jaas-secret").doesNotContain("trust-secret").doesNotContain("keystore-secret");
    }

    private static String stdout(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
