package io.streamcl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar stream-app.jar <command>}: the one entry point. */
@Command(name = "stream-app", mixinStandardHelpOptions = true, version = "streamcl 0.1.0",
        description = "Streaming online contrastive learning on Kafka Streams: raw items in, embeddings out.",
        subcommands = {DemoCommand.class, BrokerCommand.class, RunCommand.class, ProduceCommand.class,
                ExportCommand.class, EvalCommand.class, SettingsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        DjlDefaults.apply();
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
