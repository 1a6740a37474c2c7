package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.config.Settings;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.kind.ItemKinds;
import io.streamcl.serve.Http;
import io.streamcl.serve.ServedLearner;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.ServedFeed;
import io.streamcl.topology.FeedQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two learners with one application id, each with its server on a port of its own and a state directory of its
 * own: every lookup is sent to the instance that does not hold the id, which forwards it to the one that does,
 * and the answer is the exported row.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 300)
class ServeTwoInstancesIT {
    private static final String TOKEN = "two-instances-token";
    private static final int ITEMS = 60;

    @TempDir
    Path tmp;

    private ServedLearner a;
    private ServedLearner b;

    @AfterEach
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void aLookupSentToTheInstanceThatDoesNotHoldTheIdShouldBeAnswered(Broker broker) throws Exception {
        Settings settingsA = InJvmLearner.settings(broker, tmp, "serve-two").with(Map.of("http.port", "0",
                "http.token", TOKEN, "topic.partitions", "4", "num.stream.threads", "1"));
        Settings settingsB = settingsA.with(Map.of("state.dir",
                Files.createDirectories(tmp.resolve("state-b")).toString()));
        a = ServedLearner.start(settingsA, ItemKinds.fromSettings(settingsA));
        b = ServedLearner.start(settingsB, ItemKinds.fromSettings(settingsB));
        int portA = a.httpPort().orElseThrow();
        int portB = b.httpPort().orElseThrow();
        awaitReady(portA);
        awaitReady(portB);

        InJvmLearner.produceImages(settingsA, "two-", ITEMS);
        List<ExportedEmbedding> exported = ServedFeed.exportConverged(settingsA, tmp.resolve("feed.jsonl"), ITEMS);
        FeedQueries queriesA = a.app().queries().orElseThrow();
        int heldByA = 0;
        int heldByB = 0;
        for (ExportedEmbedding row : exported) {
            FeedQueries.Owner owner = await().atMost(Duration.ofSeconds(60)).until(() -> queriesA.ownerOf(row.id()),
                    o -> !(o instanceof FeedQueries.Owner.Unknown));
            boolean onA = owner instanceof FeedQueries.Owner.Here;
            if (onA) {
                heldByA++;
            } else {
                heldByB++;
            }
            ServedFeed.awaitServedAsExported(onA ? portB : portA, TOKEN, row); // asked where it is not held
        }
        assertThat(heldByA + heldByB).isEqualTo(ITEMS);
        System.out.printf("[ServeTwoInstancesIT] %d ids held by a, %d by b; each looked up on the other, all as"
                + " exported (v%d)%n", heldByA, heldByB, exported.get(0).modelVersion());
    }

    private static void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.get(port, "/ready", TOKEN).status() == 200);
    }
}
