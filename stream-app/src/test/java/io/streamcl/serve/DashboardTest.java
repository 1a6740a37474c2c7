package io.streamcl.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcl.topology.PipelineMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's page, code and JSON on a real server (127.0.0.1, a free port), fed by a real PipelineMetrics. */
class DashboardTest {
    private static final String TOKEN = "dash-token-1";

    private final PrometheusMetrics scraped = PrometheusMetrics.create();
    private LearnerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        scraped.close();
    }

    @Test
    void shouldServeThePageWithTheTokenInItsAddressAndItsCodeToAnyone() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, TOKEN), scraped);
        int port = server.port();

        Http.Answer refused = Http.get(port, "/", null);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().get("error").asText()).contains("/?token=");
        assertThat(Http.get(port, "/?token=wrong-token", null).status()).isEqualTo(401);
        for (Http.Answer page : List.of(Http.get(port, "/?token=" + TOKEN, null), Http.get(port, "/", TOKEN))) {
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(page.body()).contains("/dashboard/uplot.js", "/dashboard/dashboard.js", "no-referrer");
        }

        Http.Answer uplot = Http.get(port, "/dashboard/uplot.js", null);
        assertThat(uplot.status()).isEqualTo(200);
        assertThat(uplot.contentType()).startsWith("text/javascript");
        assertThat(uplot.body()).contains("uPlot");
        assertThat(Http.get(port, "/dashboard/uplot.css", null).contentType()).startsWith("text/css");
        assertThat(Http.get(port, "/dashboard/dashboard.js", null).body()).contains("/dashboard/series");

        // the data needs the header: the address's token opens the page only
        for (String path : List.of("/dashboard/series", "/dashboard/projection", "/dashboard/series?token=" + TOKEN)) {
            assertThat(Http.get(port, path, null).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void shouldAnswerEmptySeriesUntilItWatchesAPipelineThenItsSamples() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), scraped);
        int port = server.port();
        Http.Answer before = Http.get(port, "/dashboard/series", null);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().get("time")).isEmpty();
        assertThat(Http.get(port, "/dashboard/projection", null).status()).isEqualTo(503);

        PipelineMetrics metrics = new PipelineMetrics();
        metrics.itemIn("image");
        server.showOnDashboard(metrics, List.of("image"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(port, "/dashboard/series", null).json()
                .get("time").size() >= 2);
        JsonNode series = Http.get(port, "/dashboard/series", null).json();
        assertThat(series.get("kinds").get("image").get("itemsIn").get(0).asDouble()).isEqualTo(1.0);
        assertThat(series.get("kinds").get("image").get("loss").get(0).isNull()).isTrue();
    }

    @Test
    void shouldProjectTheSampledEmbeddingsOfOneVersionGroupedByLabel() {
        server = LearnerServer.start(new HttpSettings("127.0.0.1", 0, ""), scraped);
        int port = server.port();
        PipelineMetrics metrics = new PipelineMetrics();
        server.showOnDashboard(metrics, List.of("image"));
        JsonNode empty = Http.get(port, "/dashboard/projection", null).json();
        assertThat(empty.get("points").asInt()).isZero();
        assertThat(empty.get("groups")).isEmpty();

        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "img-" + i;
            String label = i < 4 ? null : Integer.toString(i % 12); // 12 labels: the 10 largest get a colour
            labels.add(label);
            metrics.recentEmbeddings().arrived("image", id, label);
            // ten of them still on v1, the rest backfilled to v2: only v2 is drawn
            metrics.recentEmbeddings().published("image", id, i < 10 ? 1 : 2, new float[] {i, i % 3, (i * 7) % 5});
        }
        Http.Answer answer = Http.get(port, "/dashboard/projection", null);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode p = answer.json();
        assertThat(p.get("kind").asText()).isEqualTo("image");
        assertThat(p.get("version").asLong()).isEqualTo(2);
        assertThat(p.get("sampled").asInt()).isEqualTo(30);
        assertThat(p.get("points").asInt()).isEqualTo(20);
        int drawn = 0;
        List<String> groupLabels = new ArrayList<>();
        for (JsonNode g : p.get("groups")) {
            assertThat(g.get("x").size()).isEqualTo(g.get("y").size());
            drawn += g.get("x").size();
            groupLabels.add(g.get("label").isNull() ? null : g.get("label").asText());
        }
        assertThat(drawn).isEqualTo(20);
        assertThat(groupLabels).hasSizeLessThanOrEqualTo(EmbeddingProjection.MAX_GROUPS + 1)
                .contains(EmbeddingProjection.OTHER).doesNotContainNull();
        assertThat(groupLabels.subList(0, 3)).as("numbers in numeric order").containsExactly("0", "1", "2");
        assertThat(p.get("explained").get(0).asDouble()).isBetween(0.0, 1.0);

        Http.Answer unknown = Http.get(port, "/dashboard/projection?kind=nope", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("nope", "image");
    }
}
