package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.broker.EmbeddedKafkaBroker;
import io.streamcl.testing.CompleteFeed;
import io.streamcl.testing.FaultyProxy;
import io.streamcl.testing.JarProcesses;
import io.streamcl.testing.SmallLearner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner's `run` process reaches the broker only through a {@link FaultyProxy}, which adds latency, then
 * resets every connection a few times, then forwards nothing for 30 s; the learner recovers by itself and every
 * item is embedded, no (id, version) pair twice. The broker runs in this JVM with a second listener advertised
 * at the proxy's port, so the learner reconnects through the proxy too; the producer and the checks use the
 * broker's own listener, so they see the faults only through the learner.
 */
@Timeout(value = 420)
class FlakyNetworkIT {
    private static final int PER_PHASE = 300;
    private static final Duration LATENCY = Duration.ofMillis(150);
    private static final int RESETS = 3;
    private static final Duration BETWEEN_RESETS = Duration.ofSeconds(3);
    private static final Duration BLACK_HOLE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aLearnerShouldRecoverFromLatencyResetsAndABlackHoleAndEmbedEveryItemOnce() throws Exception {
        Path jar = JarProcesses.shadedJar();
        assertThat(jar).as("the shaded jar (run mvn package first)").isRegularFile();
        int behindProxy = JarProcesses.freePort();
        try (FaultyProxy proxy = FaultyProxy.start(behindProxy);
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedKafkaBroker.Options.defaults()
                        .withProxiedListener(new EmbeddedKafkaBroker.ProxiedListener(behindProxy, proxy.port())));
                JarProcesses procs = new JarProcesses(jar, tmp)) {
            try {
                String direct = broker.bootstrapServers();
                Process run = procs.start("run", SmallLearner.imageRun(proxy.address(), tmp.resolve("state")));
                procs.awaitLine(run, SmallLearner.STARTED, Duration.ofSeconds(90));

                proxy.latency(LATENCY);
                procs.produceImages(direct, "slow-", PER_PHASE, "produce-slow");
                procs.awaitLine(run, SmallLearner.EMBEDDING, Duration.ofSeconds(120));

                Process resetting = procs.startProducingImages(direct, "reset-", PER_PHASE, "produce-reset");
                long connectionsBefore = proxy.connectionsAccepted();
                for (int i = 0; i < RESETS; i++) {
                    Thread.sleep(BETWEEN_RESETS.toMillis());
                    proxy.resetAll();
                }
                procs.awaitSuccess(resetting, Duration.ofSeconds(120));
                proxy.latency(Duration.ZERO);

                proxy.blackHole(true);
                long holeStart = System.nanoTime();
                procs.produceImages(direct, "hole-", PER_PHASE, "produce-hole");
                Thread.sleep(Math.max(0, BLACK_HOLE.toMillis() - (System.nanoTime() - holeStart) / 1_000_000));
                proxy.blackHole(false);
                long healed = System.nanoTime();
                assertThat(run.isAlive()).as("run outlived the black hole").isTrue();

                Set<String> ids = new TreeSet<>(JarProcesses.ids("slow-", PER_PHASE));
                ids.addAll(JarProcesses.ids("reset-", PER_PHASE));
                ids.addAll(JarProcesses.ids("hole-", PER_PHASE));
                int embeddings = CompleteFeed.assertEveryIdEmbeddedOnce(direct, ids, Duration.ofSeconds(240)).size();
                long done = System.nanoTime();

                assertThat(run.isAlive()).as("run is still the first process").isTrue();
                assertThat(proxy.connectionsAccepted()).as("the learner reconnected after the resets")
                        .isGreaterThan(connectionsBefore);
                String log = procs.output(run);
                System.out.printf("[FlakyNetworkIT] %d connections through the proxy (%d after the first reset);"
                        + " every one of %d ids embedded %.1f s after the %d s black hole was lifted (%d embeddings,"
                        + " no pair twice); stream threads replaced: %d%n", proxy.connectionsAccepted(),
                        proxy.connectionsAccepted() - connectionsBefore, ids.size(), (done - healed) / 1e9,
                        BLACK_HOLE.toSeconds(), embeddings, SmallLearner.threadsReplaced(log));
            } catch (Throwable t) {
                procs.printOutputs();
                throw t;
            }
        }
    }
}
