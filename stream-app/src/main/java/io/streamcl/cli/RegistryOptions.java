package io.streamcl.cli;

import picocli.CommandLine.Option;

/** Where the model registry is: the options of every command that reads or writes the models topic. */
final class RegistryOptions {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "models", description = "the models topic (default: ${DEFAULT-VALUE})")
    String topic;

    ModelRegistry read(String kind) {
        return ModelRegistry.read(bootstrapServers, topic, kind);
    }
}
