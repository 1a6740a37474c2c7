package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KnnEvaluationTest {

    private static final KnnEvaluation.Options SETTINGS = new KnnEvaluation.Options(3, 0.07, 0.5, 1, 1000);

    private static ExportedEmbedding row(String id, long version, float... v) {
        return new ExportedEmbedding(id, "image", "m", version, 0, v);
    }

    private static Labels labels(String... idLabel) {
        Map<String, Integer> byId = new HashMap<>();
        for (int i = 0; i < idLabel.length; i += 2) {
            byId.put(idLabel[i], Integer.parseInt(idLabel[i + 1]));
        }
        return new Labels(byId, List.of("a", "b"));
    }

    @Test
    void shouldUseTheLastRowOfADuplicatedIdAndSaySo() throws Exception {
        List<ExportedEmbedding> memory = List.of(row("m0", 1, 1, 0), row("m1", 1, 0, 1),
                row("m0", 1, 0, 1)); // m0 moved next to m1
        List<ExportedEmbedding> queries = List.of(row("q", 1, 0, 1));
        Labels labels = labels("m0", "0", "m1", "1", "q", "0");

        KnnEvaluation.Result result = KnnEvaluation.withQueries(memory, labels, queries, labels,
                new KnnEvaluation.Options(1, 0.07, 0.2, 1, 10));

        assertThat(result.messages()).anyMatch(m -> m.contains("1 memory ids appear more than once"));
        assertThat(result.report().value("m v1", KnnEvaluation.MEMORY)).isEqualTo(2);
        // nearest is m0 (label 0) at index 0, tied with m1: the lower index wins
        assertThat(result.report().value("m v1", KnnEvaluation.KNN)).isEqualTo(1.0);
    }

    @Test
    void shouldWarnWhenQueryIdsAreAlsoInTheMemory() throws Exception {
        List<ExportedEmbedding> memory = List.of(row("x", 1, 1, 0), row("y", 1, 0, 1));
        Labels labels = labels("x", "0", "y", "1");

        KnnEvaluation.Result result = KnnEvaluation.withQueries(memory, labels, memory, labels, SETTINGS);

        assertThat(result.messages()).anyMatch(m -> m.contains("2 query ids are also in the memory"));
        assertThat(result.queries()).isEqualTo(2);
    }

    @Test
    void shouldSkipAVersionTooSmallToHoldOutAndEvaluateTheOthers() throws Exception {
        List<ExportedEmbedding> memory = List.of(row("a", 1, 1, 0), row("b", 2, 1, 0), row("c", 2, 0, 1),
                row("d", 2, 1, 0.1f), row("e", 2, 0.1f, 1));
        Labels labels = labels("a", "0", "b", "0", "c", "1", "d", "0", "e", "1");

        KnnEvaluation.Result result = KnnEvaluation.holdout(memory, labels, SETTINGS);

        assertThat(result.report().rows()).extracting(EvalReport.Row::name).containsExactly("m v2");
        assertThat(result.messages()).anyMatch(m -> m.contains("m v1: only 1 labelled id, too few to hold out"));
        assertThat(result.report().value("m v2", KnnEvaluation.QUERIES)).isEqualTo(2);
    }

    @Test
    void shouldRefuseDifferentDimensionsWithinAVersion() {
        List<ExportedEmbedding> memory = List.of(row("a", 1, 1, 0), row("b", 1, 1, 0, 0));

        assertThatThrownBy(() -> KnnEvaluation.holdout(memory, labels("a", "0", "b", "1"), SETTINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has dim 3");
    }

    @Test
    void shouldValidateSettings() {
        assertThatThrownBy(() -> new KnnEvaluation.Options(0, 0.07, 0.2, 1, 10)).hasMessageContaining("k");
        assertThatThrownBy(() -> new KnnEvaluation.Options(5, -1, 0.2, 1, 10)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new KnnEvaluation.Options(5, 0.07, 0, 1, 10)).hasMessageContaining("holdout");
        assertThatThrownBy(() -> new KnnEvaluation.Options(5, 0.07, 0.2, 1, 0)).hasMessageContaining("uniformityPairs");
    }
}
