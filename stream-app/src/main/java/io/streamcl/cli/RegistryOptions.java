package io.streamcl.cli;

import io.streamcl.config.KafkaClients;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the model registry is: the options of every command that reads or writes the models topic. */
final class RegistryOptions {
    @Mixin
    SettingsOptions settingsOptions;

    @Option(names = "--topic", defaultValue = "models", description = "the models topic (default: ${DEFAULT-VALUE})")
    String topic;

    ModelRegistry read(String kind) {
        return ModelRegistry.read(connection(), topic, kind);
    }

    /** Bootstrap and security, from --bootstrap-servers, --config, --set and the environment. */
    Map<String, Object> connection() {
        return settingsOptions.kafkaClientProperties();
    }

    String bootstrap() {
        return KafkaClients.bootstrap(connection());
    }
}
