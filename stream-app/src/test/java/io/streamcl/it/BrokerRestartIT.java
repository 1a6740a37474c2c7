package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.testing.CompleteFeed;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.SmallLearner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops mid-stream (SIGTERM, a clean shutdown) and starts again on the same data directory and
 * port while the learner's `run` process keeps running: the learner reconnects by itself, and items produced
 * before the outage, during it (a producer started as the broker goes down, which waits and retries) and
 * after it are all embedded, with no (id, version) pair twice.
 */
@Timeout(value = 360)
class BrokerRestartIT {
    private static final int BEFORE = 500;
    private static final int DURING = 300;
    private static final int AFTER = 200;
    /** Long enough for the learner's clients to fail requests and its transactions to time out. */
    private static final Duration DOWN_FOR = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    @Test
    void aLearnerShouldRideOutABrokerRestartAndEmbedEveryItemOnce() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        try (JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                int port = JarProcesses.freePort();
                String bootstrap = procs.startBroker("broker-1", port);
                Process broker = procs.all().get(0);
                Process run = procs.start("run", SmallLearner.imageRun(bootstrap, tmp.resolve("state")));
                procs.awaitLine(run, SmallLearner.STARTED, Duration.ofSeconds(90));
                procs.produceImages(bootstrap, "before-", BEFORE, "produce-before");
                procs.awaitLine(run, SmallLearner.EMBEDDING, Duration.ofSeconds(120)); // mid-stream: embedding and training

                long down = System.nanoTime();
                broker.destroy();
                // started as the broker goes: it waits for the broker, or retries what it sent into the outage
                Process during = procs.startProducingImages(bootstrap, "during-", DURING, "produce-during");
                assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("broker stopped").isTrue();
                Thread.sleep(DOWN_FOR.toMillis());
                String again = procs.startBroker("broker-2", port);
                long up = System.nanoTime();
                assertThat(again).isEqualTo(bootstrap);
                assertThat(run.isAlive()).as("run outlived the outage").isTrue();

                procs.awaitSuccess(during, Duration.ofSeconds(180));
                procs.produceImages(bootstrap, "after-", AFTER, "produce-after");
                Set<String> ids = new TreeSet<>(JarProcesses.ids("before-", BEFORE));
                ids.addAll(JarProcesses.ids("during-", DURING));
                ids.addAll(JarProcesses.ids("after-", AFTER));
                int embeddings = CompleteFeed.assertEveryIdEmbeddedOnce(bootstrap, ids, Duration.ofSeconds(180)).size();
                long done = System.nanoTime();

                assertThat(run.isAlive()).as("run is still the first process").isTrue();
                String log = procs.output(run);
                // Kafka's NetworkClient says so on every failed reconnect: the outage reached the learner
                assertThat(log).as("the learner lost the broker").contains("could not be established");
                System.out.printf("[BrokerRestartIT] broker down %.1f s (%d failed reconnects logged by run;"
                        + " produce-during %s); every one of %d ids embedded %.1f s after it was back (%d embeddings,"
                        + " no pair twice); stream threads replaced: %d%n",
                        (up - down) / 1e9, count(log, "could not be established"),
                        procs.output(during).contains("waiting for") ? "waited for the broker" : "sent into the outage",
                        ids.size(), (done - up) / 1e9, embeddings, SmallLearner.threadsReplaced(log));
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }

    private static long count(String text, String phrase) {
        return Pattern.compile(Pattern.quote(phrase)).matcher(text).results().count();
    }
}
