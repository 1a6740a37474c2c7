package io.streamcl.cli;

import io.streamcl.config.InvalidSettingsException;
import io.streamcl.learn.NativeAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar stream-app.jar <command>}: the one entry point. */
@Command(name = "stream-app", mixinStandardHelpOptions = true, version = "streamcl 0.1.0",
        description = "Streaming online contrastive learning on Kafka Streams: raw items in, embeddings out.",
        subcommands = {DemoCommand.class, BrokerCommand.class, RunCommand.class, ProduceCommand.class,
                ExportCommand.class, ModelsCommand.class, PromoteCommand.class, ExportModelCommand.class, EmbedCommand.class, EvalCommand.class, BenchCommand.class,
                SettingsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        DjlDefaults.apply();
        NativeAllocator.tune();
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::onError).execute(args);
    }

    /** Start-up problems the user can fix (no broker, no GPU, bad data) read as one line, not a trace. */
    private static int onError(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        if (e instanceof InvalidSettingsException) { // already one line per problem
            command.getErr().println(command.getCommandName() + ": " + e.getMessage());
            return 2;
        }
        if (!(e instanceof IllegalStateException || e instanceof IllegalArgumentException)) {
            e.printStackTrace(command.getErr());
        }
        command.getErr().println(command.getCommandName() + ": " + e.getMessage());
        return 1;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
