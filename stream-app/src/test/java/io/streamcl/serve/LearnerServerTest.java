package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.schema.Embedding;
import io.streamcl.schema.ModelInfo;
import java.time.Instant;
import io.streamcl.topology.FeedQueries;
import io.streamcl.topology.PipelineMetrics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP layer on a real server (127.0.0.1, a free port), answering from a learner made of maps. */
class LearnerServerTest {
    private static final String TOKEN = "s3cret-token";

    private final PrometheusMetrics metrics = PrometheusMetrics.create();
    private LearnerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    @Test
    void shouldAnswerHealthWithoutTheTokenAndRefuseEverythingElseWithout() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), metrics);
        int port = server.port();
        assertThat(port).isPositive();

        Http.Answer health = Http.get(port, "/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.contentType()).startsWith("application/json");
        assertThat(health.json().get("status").asText()).isEqualTo("alive");

        for (String path : List.of("/ready", "/metrics", "/no-such-endpoint")) {
            Http.Answer refused = Http.get(port, path, null);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.json().get("error").asText()).contains("Authorization: Bearer");
            assertThat(Http.get(port, path, "wrong-token").status()).as(path).isEqualTo(401);
        }
        Http.Answer unknown = Http.get(port, "/no-such-endpoint", TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no endpoint GET /no-such-endpoint");
    }

    @Test
    void shouldBeReadyOnlyWhenStreamsRunAndEveryKindServesAModel() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), metrics);
        int port = server.port();
        Http.Answer starting = Http.get(port, "/ready", null);
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.json().get("ready").asBoolean()).isFalse();
        assertThat(starting.json().get("error").asText()).contains("CREATED");

        FakeLearner learner = new FakeLearner(KafkaStreams.State.REBALANCING, Map.of("image", 0L));
        server.attach(learner);
        assertThat(Http.get(port, "/ready", null).json().get("error").asText())
                .isEqualTo("Kafka Streams is REBALANCING, not RUNNING");

        server.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("image", 3L)) {
            @Override
            public List<String> kinds() {
                return List.of("image", "sentence");
            }
        });
        Http.Answer noSentenceModel = Http.get(port, "/ready", null);
        assertThat(noSentenceModel.status()).isEqualTo(503);
        assertThat(noSentenceModel.json().get("error").asText()).isEqualTo("no model is served for kind sentence yet");

        server.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("image", 3L)));
        Http.Answer ready = Http.get(port, "/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"ready\":true,\"state\":\"RUNNING\",\"served\":{\"image\":3}}");
    }

    @Test
    void shouldExposeThePipelinesMetersAndTheJvmsInPrometheusText() {
        PipelineMetrics pipeline = new PipelineMetrics(metrics.registry());
        pipeline.itemIn("image");
        pipeline.itemIn("image");
        pipeline.deadLetter("decode");
        pipeline.probeFigures("image", 0.25, -1.5, 0.75);
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), metrics);

        Http.Answer scraped = Http.get(server.port(), "/metrics", null);
        assertThat(scraped.status()).isEqualTo(200);
        assertThat(scraped.contentType()).startsWith("text/plain; version=0.0.4");
        Map<String, Double> samples = PrometheusText.parse(scraped.body());
        assertThat(samples).containsEntry("streamcl_items_in_total{kind=\"image\"}", 2.0)
                .containsEntry("streamcl_dead_letters_total{stage=\"decode\"}", 1.0)
                .containsEntry("streamcl_probe_uniformity{kind=\"image\"}", -1.5);
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(k -> k.startsWith("jvm_threads_live_threads"))
                .anyMatch(k -> k.startsWith("process_cpu_usage"));
    }

    @Test
    void shouldAnswerAnEmbeddingAsTheFeedHoldsItAnd404ForAnUnknownId() {
        Embedding e = embedding("img-1", 0.1f, -0.25f, 1e-7f);
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), metrics);
        server.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("image", 7L), Map.of("img-1", e)));
        int port = server.port();

        assertThat(Http.get(port, "/embeddings/img-1", null).status()).isEqualTo(401);
        Http.Answer found = Http.get(port, "/embeddings/img-1", TOKEN);
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.contentType()).startsWith("application/json");
        assertThat(found.body()).isEqualTo("{\"id\":\"img-1\",\"kind\":\"image\",\"model\":{\"name\":\"image-moco\","
                + "\"version\":7,\"step\":350},\"vector\":[0.1,-0.25,1.0E-7]}");
        assertThat(Float.parseFloat(found.json().get("vector").get(0).asText())).isEqualTo(0.1f);

        Http.Answer unknown = Http.get(port, "/embeddings/nobody", TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no embedding of id 'nobody'");
        assertThat(Http.get(port, "/embeddings/" + "x".repeat(EmbeddingLookup.MAX_ID_LENGTH + 1), TOKEN).status())
                .isIn(400, 414, 431); // refused by the endpoint, or by Jetty before it for a line that long
    }

    @Test
    void shouldForwardALookupToTheInstanceThatHoldsTheIdWithTheToken() {
        Embedding e = embedding("user:7", 0.5f, 0.5f);
        try (LearnerServer owner = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), metrics)) {
            owner.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("event", 1L), Map.of("user:7", e)));
            server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), metrics);
            HostInfo ownerHost = new HostInfo("127.0.0.1", owner.port());
            server.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("event", 1L), Map.of()) {
                @Override
                public FeedQueries.Owner ownerOf(String id) {
                    return new FeedQueries.Owner.There(ownerHost);
                }
            });
            Http.Answer forwarded = Http.get(server.port(), "/embeddings/user:7", TOKEN);
            assertThat(forwarded.status()).isEqualTo(200);
            assertThat(forwarded.json().get("id").asText()).isEqualTo("user:7");
            assertThat(Http.get(server.port(), "/embeddings/user:8", TOKEN).status()).isEqualTo(404);

            // the owner no longer holds the id either (a rebalance in between): said, not sent round again
            owner.attach(new FakeLearner(KafkaStreams.State.RUNNING, Map.of("event", 1L), Map.of()) {
                @Override
                public FeedQueries.Owner ownerOf(String id) {
                    return new FeedQueries.Owner.There(new HostInfo("127.0.0.1", 1));
                }
            });
            Http.Answer moved = Http.get(server.port(), "/embeddings/user:7", TOKEN);
            assertThat(moved.status()).isEqualTo(503);
            assertThat(moved.json().get("error").asText()).contains("a rebalance");
        }
    }

    @Test
    void shouldSayWhenNoInstanceHoldsTheIdYet() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), metrics);
        Http.Answer starting = Http.get(server.port(), "/embeddings/a%20b", null);
        assertThat(starting.status()).isEqualTo(503);
        assertThat(starting.json().get("error").asText()).isEqualTo("the learner is starting; try again");
    }

    private static Embedding embedding(String id, float... vector) {
        List<Float> v = new java.util.ArrayList<>();
        for (float x : vector) {
            v.add(x);
        }
        return Embedding.newBuilder().setId(id).setKind(id.startsWith("user:") ? "user" : "image").setVector(v)
                .setDim(v.size()).setModel(ModelInfo.newBuilder().setName("image-moco").setVersion(7).setStep(350).build())
                .setEventTime(Instant.ofEpochMilli(1_000)).setProducedTime(Instant.ofEpochMilli(2_000)).build();
    }

    @Test
    void shouldSayWhyItCannotListenOnATakenPort() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), metrics);
        assertThatThrownBy(() -> LearnerServer.start(new HttpSettings("127.0.0.1", server.port(), ""), metrics))
                .isInstanceOf(CannotListenException.class)
                .hasMessageContaining("cannot listen for HTTP on 127.0.0.1:" + server.port());
    }

    /** A learner whose stores are maps: its state, the versions its kinds serve, its embeddings (all here). */
    static class FakeLearner implements LearnerView {
        private final KafkaStreams.State state;
        private final Map<String, Long> served;
        private final Map<String, Embedding> embeddings;

        FakeLearner(KafkaStreams.State state, Map<String, Long> served) {
            this(state, served, Map.of());
        }

        FakeLearner(KafkaStreams.State state, Map<String, Long> served, Map<String, Embedding> embeddings) {
            this.state = state;
            this.served = served;
            this.embeddings = embeddings;
        }

        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public List<String> kinds() {
            return List.copyOf(served.keySet());
        }

        @Override
        public Optional<Long> servedVersion(String kind) {
            return Optional.ofNullable(served.get(kind));
        }

        @Override
        public FeedQueries.Owner ownerOf(String id) {
            return new FeedQueries.Owner.Here(0);
        }

        @Override
        public Optional<Embedding> embedding(String id, int partition) {
            return Optional.ofNullable(embeddings.get(id));
        }
    }
}
