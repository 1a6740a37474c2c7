package io.streamcl.cli;

import io.streamcl.broker.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamcl broker}: a single-node Kafka cluster (KRaft) in this process, bound to 127.0.0.1 only,
 * for running the app and the producer against without Docker. Blocks until Ctrl-C / SIGTERM or interrupt.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a single-node Kafka broker (KRaft, broker and controller in one process) bound to 127.0.0.1 only.",
            "Topics are not auto-created; records up to 64 MiB are accepted. The data directory is formatted on first"
                    + " use and reused afterwards. Runs until Ctrl-C (SIGINT) or SIGTERM."
        })
public final class BrokerCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", paramLabel = "PORT",
            description = "Client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--controller-port", defaultValue = "0", paramLabel = "PORT",
            description = "KRaft controller port on 127.0.0.1; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int controllerPort;

    @Option(names = "--data-dir", defaultValue = "./run/kafka-data", paramLabel = "DIR",
            description = "Where topics and metadata are kept (created if missing, kept across restarts)."
                    + " Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EmbeddedKafkaBroker.Options options;
        try {
            options = EmbeddedKafkaBroker.Options.defaults()
                    .withPort(port)
                    .withControllerPort(controllerPort)
                    .withDataDir(dataDir);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }

        EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.start(options);
        } catch (EmbeddedKafkaBroker.StartException e) {
            err.println("broker: " + e.getMessage());
            err.flush();
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "streamcl-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Kafka broker (KRaft) listening on " + broker.bootstrapServers() + " — data in "
                + broker.dataDir() + "; Ctrl-C to stop");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            broker.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: nothing to remove
            }
        }
        return 0;
    }
}
