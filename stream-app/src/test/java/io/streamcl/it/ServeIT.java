package io.streamcl.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamcl.config.Settings;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.kind.ItemKinds;
import io.streamcl.serve.Http;
import io.streamcl.serve.PrometheusText;
import io.streamcl.serve.ServedLearner;
import io.streamcl.testing.InJvmLearner;
import io.streamcl.testing.KafkaBrokerExtension;
import io.streamcl.testing.KafkaBrokerExtension.Broker;
import io.streamcl.testing.ServedFeed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner with its HTTP server on a real broker, a token set: /health needs none, everything else does;
 * /ready turns 200 only once Kafka Streams runs and a model is served; after the feed has converged, every id's
 * /embeddings answer is the exported row, float for float; /metrics is Prometheus text with the pipeline's and
 * Kafka Streams' series.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(value = 240)
class ServeIT {
    private static final String TOKEN = "serve-it-token";
    private static final int ITEMS = 60;

    @TempDir
    Path tmp;

    private ServedLearner learner;

    @AfterEach
    void stop() {
        if (learner != null) {
            learner.close();
        }
    }

    @Test
    void shouldServeTheConvergedFeedItsReadinessAndItsMetrics(Broker broker) throws Exception {
        Settings settings = InJvmLearner.settings(broker, tmp, "serve-it")
                .with(Map.of("http.port", "0", "http.host", "127.0.0.1", "http.token", TOKEN));
        learner = ServedLearner.start(settings, ItemKinds.fromSettings(settings));
        int port = learner.httpPort().orElseThrow();

        // not ready at once: Kafka Streams has to join its group and the trainer to publish v0
        Http.Answer early = Http.get(port, "/ready", TOKEN);
        assertThat(early.status()).as("/ready right after the start: %s", early.body()).isEqualTo(503);
        assertThat(early.json().get("error").asText()).isNotBlank();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Http.Answer a = Http.get(port, "/ready", TOKEN);
            if (a.status() == 200) {
                assertThat(a.json().get("served").get("image").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(learner.app().state()).isEqualTo(KafkaStreams.State.RUNNING);
                return true;
            }
            assertThat(a.status()).as(a.body()).isEqualTo(503);
            return false;
        });

        for (String path : List.of("/ready", "/metrics", "/embeddings/x-1")) {
            Http.Answer refused = Http.get(port, path, null);
            assertThat(refused.status()).as(path).isEqualTo(401);
            assertThat(refused.json().get("error").asText()).contains("Bearer");
        }
        assertThat(Http.get(port, "/health", null).status()).isEqualTo(200);

        InJvmLearner.produceImages(settings, "x-", ITEMS);
        List<ExportedEmbedding> exported = ServedFeed.exportConverged(settings, tmp.resolve("feed.jsonl"), ITEMS);
        for (ExportedEmbedding row : exported) {
            ServedFeed.awaitServedAsExported(port, TOKEN, row);
        }
        Http.Answer unknown = Http.get(port, "/embeddings/never-sent", TOKEN);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("never-sent");

        Http.Answer scraped = Http.get(port, "/metrics", TOKEN);
        assertThat(scraped.status()).isEqualTo(200);
        Map<String, Double> samples = PrometheusText.parse(scraped.body());
        assertThat(samples.get("streamcl_items_in_total{kind=\"image\"}")).isEqualTo(ITEMS);
        assertThat(samples.get("streamcl_items_embedded_total{kind=\"image\"}")).isGreaterThanOrEqualTo(ITEMS);
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("streamcl_train_steps_total"))
                .anyMatch(k -> k.startsWith("streamcl_model_served_version"))
                .anyMatch(k -> k.startsWith("kafka_stream_thread_"))
                .anyMatch(k -> k.startsWith("kafka_stream_state_") || k.startsWith("kafka_stream_client_state"))
                .anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
        System.out.printf("[ServeIT] %d ids served as exported (v%d); /metrics: %d samples%n", exported.size(),
                exported.get(0).modelVersion(), samples.size());
    }
}
