package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcl.index.VersionIndex;
import io.streamcl.index.VersionedIndexes;
import io.streamcl.topology.FeedQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /neighbours and /recommend on real servers (127.0.0.1, free ports), answering from real indexes; what the
 * learner's stores would say (who holds an id, a user's history) comes from maps.
 */
class NeighbourEndpointsTest {
    private static final String TOKEN = "nn-token";

    private final PrometheusMetrics metrics = PrometheusMetrics.create();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        metrics.close();
    }

    private LearnerServer server() {
        LearnerServer s = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), metrics);
        open.add(s);
        return s;
    }

    private VersionedIndexes indexes(long complete, Map<String, float[]> vectors, int partition) {
        VersionedIndexes v = new VersionedIndexes();
        open.add(v);
        vectors.forEach((id, x) -> v.put(id, partition, "event-moco", complete, x));
        v.completed(complete);
        return v;
    }

    @Test
    void shouldAnswerTheNearestOfOneVersionWithoutTheQueryItself() {
        LearnerServer server = server();
        VersionedIndexes items = indexes(4, Map.of("item:a", new float[] {1, 0}, "item:b", new float[] {1, 0.1f},
                "item:c", new float[] {0, 1}, "item:d", new float[] {-1, 0}), 0);
        items.put("item:e", 0, "event-moco", 5, new float[] {1, 0}); // a newer version, not complete: never answered
        items.refresh();
        int port = server.port();
        server.attachNeighbours(new OneInstance(port, Map.of("item", items), Map.of()));

        Http.Answer a = Http.get(port, "/neighbours?id=item:a&k=2", TOKEN);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode json = a.json();
        assertThat(json.get("version").asLong()).isEqualTo(4);
        assertThat(json.get("neighbours")).hasSize(2);
        assertThat(json.get("neighbours").get(0).get("id").asText()).isEqualTo("item:b");
        assertThat(json.get("neighbours").get(0).get("score").asDouble()).isBetween(0.99, 1.0);
        assertThat(json.get("neighbours").get(0).get("version").asLong()).isEqualTo(4);
        assertThat(json.get("neighbours").get(1).get("id").asText()).isEqualTo("item:c");

        Http.Answer byVector = Http.post(port, "/neighbours", "{\"vector\":[-2,0.01],\"k\":1,\"kind\":\"item\"}", TOKEN);
        assertThat(byVector.status()).as(byVector.body()).isEqualTo(200);
        assertThat(byVector.body()).startsWith("{\"version\":4,\"neighbours\":[{\"id\":\"item:d\",\"score\":");
        Http.Answer defaults = Http.post(port, "/neighbours", "{\"vector\":[1,0]}", TOKEN); // one kind: no kind needed
        assertThat(defaults.json().get("neighbours")).hasSize(4);
    }

    @Test
    void shouldRefuseBadInputWithAJsonErrorAndNeedTheToken() {
        LearnerServer server = server();
        int port = server.port();
        VersionedIndexes items = indexes(1, Map.of("item:a", new float[] {1, 0}, "item:b", new float[] {0, 1}), 0);
        VersionedIndexes users = new VersionedIndexes(); // no complete version yet
        open.add(users);
        server.attachNeighbours(new OneInstance(port, Map.of("item", items, "user", users), Map.of()));

        assertThat(Http.get(port, "/neighbours?id=item:a", null).status()).isEqualTo(401);
        assertThat(Http.post(port, "/neighbours", "{\"vector\":[1,0]}", null).status()).isEqualTo(401);
        assertThat(Http.get(port, "/recommend?user=u", null).status()).isEqualTo(401);
        Map<String, Integer> gets = Map.of(
                "/neighbours", 400, "/neighbours?id=item:a&k=0", 400, "/neighbours?id=item:a&k=1001", 400,
                "/neighbours?id=item:a&k=ten", 400, "/neighbours?id=item:a&kind=song", 400,
                "/neighbours?id=item:nobody", 404, "/neighbours?id=item:a&kind=user", 503,
                "/recommend", 400, "/recommend?user=u&k=-1", 400);
        gets.forEach((path, status) -> {
            Http.Answer a = Http.get(port, path, TOKEN);
            assertThat(a.status()).as("%s: %s", path, a.body()).isEqualTo(status);
            assertThat(a.json().get("error").asText()).as(path).isNotBlank();
        });
        Map<String, Integer> posts = Map.of(
                "not json", 400, "[1,2]", 400, "{\"vector\":[1,\"x\"],\"kind\":\"item\"}", 400,
                "{\"vector\":[0,0],\"kind\":\"item\"}", 400, "{\"vector\":[1,2,3],\"kind\":\"item\"}", 400,
                "{\"vector\":[],\"kind\":\"item\"}", 400, "{\"vector\":[1,0],\"kind\":\"item\",\"k\":2.5}", 400,
                "{\"vector\":[1,0]}", 400, // two kinds: say which
                "{\"vector\":[1,0],\"kind\":\"user\"}", 503, "{\"vector\":[1e39,0],\"kind\":\"item\"}", 400);
        posts.forEach((body, status) -> {
            Http.Answer a = Http.post(port, "/neighbours", body, TOKEN);
            assertThat(a.status()).as("%s: %s", body, a.body()).isEqualTo(status);
            assertThat(a.json().get("error").asText()).as(body).isNotBlank();
        });
        assertThat(Http.get(port, "/health", null).status()).isEqualTo(200); // nothing above broke the server
    }

    @Test
    void shouldSayTheLearnerIsStartingBeforeItIsAttached() {
        LearnerServer server = server();
        Http.Answer a = Http.get(server.port(), "/neighbours?id=x", TOKEN);
        assertThat(a.status()).isEqualTo(503);
        assertThat(Http.post(server.port(), "/neighbours", "{\"vector\":[1]}", TOKEN).status()).isEqualTo(503);
        assertThat(Http.get(server.port(), "/recommend?user=u", TOKEN).status()).isEqualTo(503);
    }

    @Test
    void shouldRecommendTheItemsNearestTheUserLeavingOutWhatTheUserHasSeen() {
        LearnerServer server = server();
        int port = server.port();
        VersionedIndexes items = indexes(2, Map.of("item:seen", new float[] {1, 0}, "item:new", new float[] {1, 0.2f},
                "item:far", new float[] {-1, 0}), 0);
        VersionedIndexes users = indexes(2, Map.of("user:u", new float[] {1, 0.05f}), 0);
        server.attachNeighbours(new OneInstance(port, Map.of("item", items, "user", users),
                Map.of("u", List.of("item:seen"))));

        Http.Answer a = Http.get(port, "/recommend?user=u&k=2", TOKEN);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().get("version").asLong()).isEqualTo(2);
        assertThat(a.json().get("neighbours").findValuesAsText("id")).containsExactly("item:new", "item:far");
        assertThat(Http.get(port, "/recommend?user=nobody", TOKEN).status()).isEqualTo(404);
        // items near a user, the user's history not left out: that is what /recommend adds
        assertThat(Http.get(port, "/neighbours?id=user:u&kind=item&k=1", TOKEN).json().get("neighbours")
                .findValuesAsText("id")).containsExactly("item:seen");
    }

    @Test
    void shouldMergeTheAnswersOfEveryInstanceAndGiveTheSameAnswerOnEither() {
        LearnerServer a = server();
        LearnerServer b = server();
        Map<String, float[]> onA = new java.util.LinkedHashMap<>();
        Map<String, float[]> onB = new java.util.LinkedHashMap<>();
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            float[] v = {(float) r.nextGaussian(), (float) r.nextGaussian(), (float) r.nextGaussian()};
            (i % 2 == 0 ? onA : onB).put("image:" + i, v);
        }
        VersionedIndexes indexA = indexes(7, onA, 0);
        VersionedIndexes indexB = indexes(7, onB, 1);
        List<FeedQueries.Server> servers = List.of(
                new FeedQueries.Server(new HostInfo("127.0.0.1", a.port()), false, Set.of(0)),
                new FeedQueries.Server(new HostInfo("127.0.0.1", b.port()), false, Set.of(1)));
        a.attachNeighbours(new Cluster(a.port(), Map.of("image", indexA), Set.of(0), servers, onA.keySet()));
        b.attachNeighbours(new Cluster(b.port(), Map.of("image", indexB), Set.of(1), servers, onB.keySet()));

        for (String id : List.of("image:0", "image:1")) {
            Http.Answer fromA = Http.get(a.port(), "/neighbours?id=" + id + "&k=10", TOKEN);
            Http.Answer fromB = Http.get(b.port(), "/neighbours?id=" + id + "&k=10", TOKEN);
            assertThat(fromA.status()).as(fromA.body()).isEqualTo(200);
            assertThat(fromA.body()).isEqualTo(fromB.body());
            List<String> ids = fromA.json().get("neighbours").findValuesAsText("id");
            assertThat(ids).hasSize(10).doesNotContain(id);
            assertThat(ids).anyMatch(onA::containsKey).anyMatch(onB::containsKey);
        }
        String query = "{\"vector\":[1,2,3],\"k\":5,\"kind\":\"image\"}";
        assertThat(Http.post(a.port(), "/neighbours", query, TOKEN).body())
                .isEqualTo(Http.post(b.port(), "/neighbours", query, TOKEN).body());

        // b swaps to version 8 first: no answer mixes versions, a says to try again
        indexB.completed(8);
        Http.Answer between = Http.post(a.port(), "/neighbours", query, TOKEN);
        assertThat(between.status()).isEqualTo(503);
        assertThat(between.json().get("error").asText()).contains("version");
    }

    /** One instance holding every partition, its users' histories in a map. */
    private static class OneInstance implements NeighbourView {
        private final int port;
        private final Map<String, VersionedIndexes> indexes;
        private final Map<String, List<String>> seen;

        OneInstance(int port, Map<String, VersionedIndexes> indexes, Map<String, List<String>> seen) {
            this.port = port;
            this.indexes = indexes;
            this.seen = seen;
        }

        @Override
        public Set<String> kinds() {
            return indexes.keySet();
        }

        @Override
        public Optional<VersionIndex> index(String kind) {
            return Optional.ofNullable(indexes.get(kind)).flatMap(VersionedIndexes::complete);
        }

        @Override
        public Set<Integer> covered() {
            return Set.of(0);
        }

        @Override
        public FeedQueries.Owner ownerOf(String id) {
            return new FeedQueries.Owner.Here(0);
        }

        @Override
        public List<FeedQueries.Server> servers() {
            return List.of(new FeedQueries.Server(new HostInfo("127.0.0.1", port), true, Set.of(0)));
        }

        @Override
        public FeedQueries.Owner ownerOfHistory(String user) {
            return new FeedQueries.Owner.Here(0);
        }

        @Override
        public List<String> seen(String user, int partition) {
            return seen.getOrDefault(user, List.of());
        }
    }

    /** One of two instances, each holding one partition. */
    private static final class Cluster extends OneInstance {
        private final int port;
        private final Set<Integer> partitions;
        private final List<FeedQueries.Server> servers;
        private final Set<String> held;

        Cluster(int port, Map<String, VersionedIndexes> indexes, Set<Integer> partitions,
                List<FeedQueries.Server> servers, Set<String> held) {
            super(port, indexes, Map.of());
            this.port = port;
            this.partitions = partitions;
            this.servers = servers;
            this.held = held;
        }

        @Override
        public Set<Integer> covered() {
            return partitions;
        }

        @Override
        public FeedQueries.Owner ownerOf(String id) {
            if (held.contains(id)) {
                return new FeedQueries.Owner.Here(partitions.iterator().next());
            }
            return new FeedQueries.Owner.There(servers.stream().filter(s -> s.host().port() != port).findFirst()
                    .orElseThrow().host());
        }

        @Override
        public List<FeedQueries.Server> servers() {
            return servers.stream().map(s -> new FeedQueries.Server(s.host(), s.host().port() == port,
                    s.partitions())).toList();
        }
    }
}
