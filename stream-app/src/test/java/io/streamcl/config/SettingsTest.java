package io.streamcl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.kind.ImageKind;
import io.streamcl.kind.KindRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void shouldAcceptEveryDefault() {
        Settings s = KindRegistry.standard().defaultSettings();
        assertThat(s.get(Settings.BATCH_SIZE)).isEqualTo(256);
        assertThat(s.get(Settings.MOMENTUM)).isEqualTo(0.99f);
        assertThat(s.get(Settings.METHOD)).isEqualTo("moco");
        assertThat(s.get(Settings.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
        assertThat(s.source(Settings.BATCH_SIZE)).isEqualTo("default");
    }

    @Test
    void shouldLayerFileThenEnvironmentThenFlags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "batch.size=64\nbank.size=128\nmethod=simclr\n");
        Settings s = KindRegistry.standard().loadSettings(file, Map.of("STREAMCL_BANK_SIZE", "512", "STREAMCL_METHOD", "siamese"),
                Map.of("method", "moco"));
        assertThat(s.get(Settings.BATCH_SIZE)).isEqualTo(64);
        assertThat(s.get(Settings.BANK_SIZE)).isEqualTo(512);
        assertThat(s.get(Settings.METHOD)).isEqualTo("moco");
        assertThat(s.source(Settings.BANK_SIZE)).isEqualTo("env STREAMCL_BANK_SIZE");
    }

    @Test
    void shouldListEveryInvalidSettingInOneError() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(),
                Map.of("batch.size", "0", "temperature", "abc", "momentum", "1.0", "method", "byol")))
                .isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(4))
                .hasMessageContaining("batch.size = '0' (from flag) is invalid: must be in [2, 65536]")
                .hasMessageContaining("temperature = 'abc' (from flag) is malformed")
                .hasMessageContaining("momentum")
                .hasMessageContaining("one of moco|simclr|siamese");
    }

    @Test
    void shouldServeOnLocalhost8080WithoutATokenByDefaultAndRefuseBadHttpSettings() {
        Settings s = KindRegistry.standard().defaultSettings();
        assertThat(s.get(Settings.HTTP_PORT)).isEqualTo(8080);
        assertThat(s.get(Settings.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(s.get(Settings.HTTP_TOKEN)).isEmpty();
        assertThat(KindRegistry.standard().loadSettings(null, Map.of(), Map.of("http.port", "-1")).get(Settings.HTTP_PORT))
                .isEqualTo(-1);
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(),
                Map.of("http.port", "65536", "http.host", "local host", "http.token", "short")))
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).hasSize(3))
                .hasMessageContaining("http.port = '65536' (from flag) is invalid: must be -1, or in [0, 65535]")
                .hasMessageContaining("http.host = 'local host' (from flag) is invalid: must be a host name or an IP")
                .hasMessageContaining("http.token = 'short' (from flag) is invalid: must be empty, or at least 8");
    }

    @Test
    void shouldSuggestTheNearestNameForAnUnknownSetting() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("bach.size", "12")))
                .hasMessageContaining("unknown setting 'bach.size'")
                .hasMessageContaining("did you mean 'batch.size'?");
    }

    @Test
    void shouldRejectReplaySmallerThanABatch() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("replay.capacity", "100")))
                .hasMessageContaining("replay.capacity (100) must be >= batch.size (256)");
    }

    @Test
    void shouldRejectMoreEventSlotsThanItemsKept() {
        assertThatThrownBy(() -> KindRegistry.standard().defaultSettings().with(Map.of("event.slots", "60", "event.max-items", "50")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("event.slots must be <= event.max-items");
    }

    @Test
    void shouldParseIntListsAndKeepTheirText() {
        Settings s = KindRegistry.standard().defaultSettings().with(Map.of("image.conv-channels", "16, 32,64"));
        assertThat(s.get(ImageKind.IMAGE_CONV_CHANNELS)).containsExactly(16, 32, 64);
        assertThat(s.text(ImageKind.IMAGE_CONV_CHANNELS)).isEqualTo("16,32,64");
        assertThatThrownBy(() -> KindRegistry.standard().defaultSettings().with(Map.of("image.conv-channels", "16,x")))
                .hasMessageContaining("image.conv-channels");
    }

    @Test
    void shouldNameTheEnvironmentVariableOfEachSetting() {
        assertThat(Settings.BATCH_SIZE.envName()).isEqualTo("STREAMCL_BATCH_SIZE");
        assertThat(Settings.TOPIC_RAW_ITEMS.envName()).isEqualTo("STREAMCL_TOPIC_RAW_ITEMS");
    }

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"alice\" password=\"alice-secret\";";

    @Test
    void shouldPassKafkaClientSecurityThroughToTheClientProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "bootstrap.servers=127.0.0.1:9093\nsecurity.protocol=SASL_SSL\n"
                + "sasl.mechanism=SCRAM-SHA-512\nssl.truststore.location=/tmp/trust.p12\n");
        Settings s = KindRegistry.standard().loadSettings(file, Map.of("STREAMCL_SASL_JAAS_CONFIG", JAAS),
                Map.of("ssl.truststore.password", "trust-secret"));

        assertThat(s.kafkaClientProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "127.0.0.1:9093", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/tmp/trust.p12",
                "sasl.jaas.config", JAAS, "ssl.truststore.password", "trust-secret"));
        assertThat(s.clientSecuritySource("sasl.jaas.config")).isEqualTo("env STREAMCL_SASL_JAAS_CONFIG");
        assertThat(s.clientSecuritySource("ssl.truststore.password")).isEqualTo("flag");
        assertThat(s.clientSecuritySource("security.protocol")).isEqualTo("file " + file);
    }

    @Test
    void shouldKeepClientSecurityInACopyButNotForAPlaintextBrokerOfItsOwn() {
        Settings secured = KindRegistry.standard().loadSettings(null, Map.of(), Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config", JAAS));

        assertThat(secured.with(Map.of("batch.size", "64")).kafkaClientProperties())
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", JAAS);
        assertThat(secured.withPlaintextBroker("127.0.0.1:1234").kafkaClientProperties())
                .isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:1234"));
        assertThat(KindRegistry.standard().defaultSettings().kafkaClientProperties()).isEqualTo(Map.of("bootstrap.servers", "localhost:9092"));
    }

    @Test
    void shouldMaskSecretsWhenShowingClientSecurity() {
        Settings s = KindRegistry.standard().loadSettings(null, Map.of(), Map.of("sasl.jaas.config", JAAS, "ssl.keystore.password", "ks",
                "ssl.key.password", "k", "ssl.truststore.type", "PKCS12", "sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(s.shownClientSecurity("sasl.jaas.config")).isEqualTo("[hidden]");
        assertThat(s.shownClientSecurity("ssl.keystore.password")).isEqualTo("[hidden]");
        assertThat(s.shownClientSecurity("ssl.key.password")).isEqualTo("[hidden]");
        assertThat(s.shownClientSecurity("ssl.truststore.type")).isEqualTo("PKCS12");
        assertThat(s.shownClientSecurity("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    }

    @Test
    void shouldRefuseKafkaClientSettingsThatAreNotSecurityAndSayWhich() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("acks", "all")))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("unknown setting 'acks' (from flag)")
                .hasMessageContaining("only security.protocol, sasl.* and ssl.* are passed through");
    }

    @Test
    void shouldRefuseAMisspelledSecuritySettingWithTheNearestName() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("ssl.truststore.locaton", "/tmp/t.p12")))
                .hasMessageContaining("unknown setting 'ssl.truststore.locaton'")
                .hasMessageContaining("did you mean 'ssl.truststore.location'?");
    }

    @Test
    void shouldRefuseAValueKafkaRefusesWithoutShowingASecret() {
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("security.protocol", "SASL_TLS")))
                .hasMessageContaining("security.protocol = 'SASL_TLS' (from flag) is refused by Kafka")
                .hasMessageContaining("SASL_SSL");
        assertThatThrownBy(() -> KindRegistry.standard().loadSettings(null, Map.of(), Map.of("sasl.jaas.config", "not jaas at all",
                "sasl.login.refresh.window.factor", "2.5")))
                .hasMessageContaining("sasl.login.refresh.window.factor = '2.5'")
                .hasMessageNotContaining("not jaas at all");
    }
}
