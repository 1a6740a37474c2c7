package io.streamcl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcl.cli.Main;
import io.streamcl.config.Settings;
import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.serve.Http;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the serving tests read: the converged feed as {@code export} writes it, and a lookup compared to it. */
public final class ServedFeed {
    private ServedFeed() {}

    /** {@code export --converged} of the settings' topics once {@code n} ids are on them. */
    public static List<ExportedEmbedding> exportConverged(Settings settings, Path file, int n) throws IOException {
        int exit = Main.execute("export", "--bootstrap-servers", settings.get(Settings.BOOTSTRAP_SERVERS),
                "--topic", settings.get(Settings.TOPIC_EMBEDDINGS), "--models-topic", settings.get(Settings.TOPIC_MODELS),
                "--status-topic", settings.get(Settings.TOPIC_STATUS), "--out", file.toString(),
                "--wait-for", Integer.toString(n), "--converged", "--timeout", "150");
        assertThat(exit).as("export --converged exit code").isZero();
        List<ExportedEmbedding> rows = EmbeddingFile.read(file);
        assertThat(rows).hasSize(n);
        return rows;
    }

    /**
     * Asks the server at {@code port} for the row's id until it answers with exactly the row: the store follows
     * the topic a moment behind, and a rebalance may hold an answer back for a while.
     */
    public static void awaitServedAsExported(int port, String token, ExportedEmbedding row) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Http.Answer a = Http.get(port, "/embeddings/" + row.id(), token);
            assertThat(a.status()).as("GET /embeddings/%s: %s", row.id(), a.body()).isEqualTo(200);
            JsonNode json = a.json();
            assertThat(json.get("id").asText()).isEqualTo(row.id());
            assertThat(json.get("kind").asText()).isEqualTo(row.kind());
            assertThat(json.get("model").get("name").asText()).isEqualTo(row.modelName());
            assertThat(json.get("model").get("version").asLong()).isEqualTo(row.modelVersion());
            assertThat(json.get("model").get("step").asLong()).isEqualTo(row.modelStep());
            float[] vector = new float[json.get("vector").size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = Float.parseFloat(json.get("vector").get(i).asText()); // the written float, not a double
            }
            assertThat(vector).as("vector of %s", row.id()).containsExactly(row.vector());
        });
    }
}
