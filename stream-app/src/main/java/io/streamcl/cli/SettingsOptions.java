package io.streamcl.cli;

import io.streamcl.config.Settings;
import io.streamcl.kind.KindRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where settings come from on the command line: a properties file, --set flags, the environment. Kafka's client
 * security settings (security.protocol, sasl.*, ssl.*) come the same ways and reach every Kafka client.
 */
final class SettingsOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "properties file of settings, Kafka client security (security.protocol, sasl.*, ssl.*) included (see README)")
    Path config;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "a setting, e.g. --set batch.size=128 (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Kafka brokers (setting bootstrap.servers)")
    String bootstrapServers;

    /** Defaults < file < environment < --set < --bootstrap-servers. */
    Settings load(Map<String, String> extra) {
        Map<String, String> flags = new LinkedHashMap<>(extra);
        flags.putAll(overrides);
        if (bootstrapServers != null) {
            flags.put(Settings.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        }
        return KindRegistry.standard().loadSettings(config, System.getenv(), flags);
    }

    /** What a command that only talks to Kafka needs: {@code bootstrap.servers} and the security settings. */
    Map<String, Object> kafkaClientProperties() {
        return load(Map.of()).kafkaClientProperties();
    }
}
