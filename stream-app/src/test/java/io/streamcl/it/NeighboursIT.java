package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcl.cli.Main;
import io.streamcl.config.Settings;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.index.ExactNeighbours;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.kind.EventKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.serve.Http;
import io.streamcl.serve.ServedLearner;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.ServedFeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * /neighbours and /recommend on a real broker, against the exported feed once it has converged: the HNSW answers
 * find the exact cosine top 10 of the exported vectors, every answer is of the feed's one version, a user's
 * recommendations leave out the user's items, and two instances give the same merged answer.
 */
@ExtendWith(KafkaBrokerExtension.class)
class NeighboursIT {
    private static final String TOKEN = "neighbours-it-token";
    /** The 10,000 vectors, all through the broker and the feed. */
    private static final int IMAGES = 10_000;
    private static final int QUERIES = 200;

    @TempDir
    Path tmp;

    private final List<ServedLearner> learners = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = learners.size() - 1; i >= 0; i--) {
            learners.get(i).close();
        }
    }

    @Test
    @Timeout(360)
    void shouldFindTheExactTopTenOfTheConvergedFeedInOneVersion(Broker broker) throws Exception {
        // One promotion at most while the images arrive, and the idle trainer's last one: each served version
        // re-embeds the whole catalogue, and this test needs one converged version, not many.
        Settings settings = InJvmLearner.settings(broker, tmp, "neighbours-it").with(Map.of("http.port", "0",
                "http.token", TOKEN, "promotion.interval.ms", "600000", "replay.updates-per-item", "1"));
        ServedLearner learner = start(settings);
        int port = learner.httpPort().orElseThrow();

        InJvmLearner.produceImages(settings, "nn-", IMAGES);
        List<ExportedEmbedding> exported = ServedFeed.exportConverged(settings, tmp.resolve("feed.jsonl"), IMAGES);
        long version = exported.get(0).modelVersion();
        Map<String, float[]> vectors = vectors(exported);

        double recall = 0;
        List<String> ids = List.copyOf(vectors.keySet());
        for (int q = 0; q < QUERIES; q++) {
            String id = ids.get(q * (IMAGES / QUERIES));
            List<String> found = awaitNeighbours(port, "/neighbours?id=" + id + "&k=10", version);
            assertThat(found).hasSize(10).doesNotContain(id);
            recall += ExactNeighbours.recall(ExactNeighbours.top(vectors, vectors.get(id), 10, Set.of(id)), found);
        }
        recall /= QUERIES;
        System.out.printf("[NeighboursIT] /neighbours recall@10 %.3f against exact cosine, %d queries over %d"
                + " exported vectors, all of v%d%n", recall, QUERIES, IMAGES, version);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);

        float[] query = vectors.get(ids.get(1));
        Http.Answer byVector = Http.post(port, "/neighbours", "{\"vector\":" + java.util.Arrays.toString(query)
                + ",\"k\":10,\"kind\":\"image\"}", TOKEN);
        assertThat(byVector.status()).as(byVector.body()).isEqualTo(200);
        assertThat(byVector.json().get("neighbours").get(0).get("id").asText()).isEqualTo(ids.get(1)); // itself
        assertThat(Http.get(port, "/neighbours?id=never-sent", TOKEN).status()).isEqualTo(404);
        assertThat(Http.get(port, "/neighbours?id=" + ids.get(0), null).status()).isEqualTo(401);
    }

    @Test
    @Timeout(420)
    void twoInstancesShouldAnswerAlikeAndRecommendNothingAUserHasSeen(Broker broker) throws Exception {
        int users = 60;
        int catalogue = 200;
        int eventsPerUser = 8;
        Settings settingsA = InJvmLearner.settings(broker, tmp, "neighbours-two").with(Map.ofEntries(
                Map.entry("kinds", "event"), Map.entry("http.port", "0"), Map.entry("http.token", TOKEN),
                Map.entry("topic.partitions", "4"), Map.entry("num.stream.threads", "1"),
                Map.entry("event.vocab-size", "1024"), Map.entry("event.token-dim", "8"),
                Map.entry("event.slots", "8")));
        Settings settingsB = settingsA.with(Map.of("state.dir",
                Files.createDirectories(tmp.resolve("state-b")).toString()));
        ServedLearner a = start(settingsA);
        ServedLearner b = start(settingsB);
        int portA = a.httpPort().orElseThrow();
        int portB = b.httpPort().orElseThrow();

        List<EventRow> events = SyntheticEvents.builder().users(users).items(catalogue).eventsPerUser(eventsPerUser)
                .seed(7).build().generate();
        assertThat(Main.execute("produce", "--bootstrap-servers", settingsA.get(Settings.BOOTSTRAP_SERVERS),
                "--topic", settingsA.get(Settings.TOPIC_RAW_ITEMS), "--kind", "event", "--synthetic",
                "--users", Integer.toString(users), "--catalogue", Integer.toString(catalogue),
                "--events-per-user", Integer.toString(eventsPerUser), "--seed", "7")).isZero();
        Map<String, Set<String>> seen = new HashMap<>();
        for (EventRow e : events) {
            seen.computeIfAbsent(e.userId(), u -> new TreeSet<>()).add(EventKind.itemKey(e.itemId()));
        }
        int ids = (int) events.stream().map(EventRow::itemId).distinct().count() + seen.size();
        List<ExportedEmbedding> exported = ServedFeed.exportConverged(settingsA, tmp.resolve("feed.jsonl"), ids);
        long version = exported.get(0).modelVersion();
        Map<String, float[]> items = vectors(exported.stream().filter(r -> r.kind().equals(EventKind.ITEM)).toList());

        double recall = 0;
        int asked = 0;
        for (String user : seen.keySet().stream().sorted().limit(20).toList()) {
            String path = "/recommend?user=" + user + "&k=10";
            List<String> fromA = awaitNeighbours(portA, path, version);
            List<String> fromB = awaitNeighbours(portB, path, version);
            assertThat(fromA).as(path).isEqualTo(fromB).hasSize(10).doesNotContainAnyElementsOf(seen.get(user));
            float[] userVector = exported.stream().filter(r -> r.id().equals(EventKind.userKey(user))).findFirst()
                    .orElseThrow().vector();
            recall += ExactNeighbours.recall(ExactNeighbours.top(items, userVector, 10, seen.get(user)), fromA);
            asked++;

            String item = seen.get(user).iterator().next();
            String nn = "/neighbours?id=" + item + "&k=10";
            assertThat(awaitNeighbours(portA, nn, version)).as(nn).isEqualTo(awaitNeighbours(portB, nn, version))
                    .doesNotContain(item);
        }
        recall /= asked;
        System.out.printf("[NeighboursIT] two instances: /recommend and /neighbours alike on both for %d users,"
                + " no seen item recommended, recall@10 %.3f against exact (v%d, %d items)%n", asked, recall, version,
                items.size());
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }

    private ServedLearner start(Settings settings) {
        ServedLearner learner = ServedLearner.start(settings, ItemKinds.fromSettings(settings));
        learners.add(learner);
        return learner;
    }

    private static Map<String, float[]> vectors(List<ExportedEmbedding> rows) {
        return rows.stream().collect(Collectors.toMap(ExportedEmbedding::id, ExportedEmbedding::vector, (x, y) -> x,
                LinkedHashMap::new));
    }

    /**
     * The ids the server answers once its index has caught up with the exported version (it follows the feed a
     * moment behind, and a rebalance may hold an answer back); every one of them of that version.
     */
    private static List<String> awaitNeighbours(int port, String path, long version) {
        List<String> ids = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Http.Answer a = Http.get(port, path, TOKEN);
            assertThat(a.status()).as("GET %s: %s", path, a.body()).isEqualTo(200);
            JsonNode json = a.json();
            assertThat(json.get("version").asLong()).as(path).isEqualTo(version);
            ids.clear();
            for (JsonNode n : json.get("neighbours")) {
                assertThat(n.get("version").asLong()).isEqualTo(version);
                ids.add(n.get("id").asText());
            }
        });
        return ids;
    }
}
