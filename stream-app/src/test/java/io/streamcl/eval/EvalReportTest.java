package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalReportTest {

    private static EvalReport report() {
        return new EvalReport("Fashion-MNIST, k=200, T=0.07",
                List.of("kNN clean", "kNN augmented", "pair top-1", "uniformity", "memory"))
                .addRow("learned v12", 0.81234, 0.7, 0.9, -3.4567, 40_000)
                .addRow("untrained v0", 0.6, Double.NaN, 0.1, -0.0001, 40_000)
                .addRow("raw pixels", Map.of("kNN clean", 0.8215, "memory", 40_000.0))
                .putMeta("k", "200")
                .putMeta("memory file", "emb.csv");
    }

    @Test
    void shouldRenderAlignedTextWithThreeDecimalsAndBlanks() {
        String text = report().toText();

        assertThat(text.lines()).containsExactly(
                "Fashion-MNIST, k=200, T=0.07",
                "              kNN clean  kNN augmented  pair top-1  uniformity  memory",
                "learned v12       0.812          0.700       0.900      -3.457   40000",
                "untrained v0      0.600                      0.100       0.000   40000",
                "raw pixels        0.822                                          40000");
    }

    @Test
    void shouldRoundTripThroughJson() {
        EvalReport report = report();

        String json = report.toJson();

        assertThat(EvalReport.fromJson(json)).isEqualTo(report);
        assertThat(EvalReport.fromJson(json).value("learned v12", "uniformity")).isEqualTo(-3.4567);
        assertThat(EvalReport.fromJson(json).value("untrained v0", "kNN augmented")).isNaN();
        assertThat(json).contains("\"title\" : \"Fashion-MNIST, k=200, T=0.07\"", "\"kNN augmented\" : null",
                "\"meta\" : {", "\"memory file\" : \"emb.csv\"");
    }

    @Test
    void shouldLeaveOutEmptyMeta() {
        EvalReport report = new EvalReport("t", List.of("a")).addRow("r", 1.5);

        assertThat(report.toJson()).doesNotContain("meta");
        assertThat(EvalReport.fromJson(report.toJson())).isEqualTo(report);
    }

    @Test
    void shouldRejectMalformedRowsAndJson() {
        EvalReport report = new EvalReport("t", List.of("a", "b"));

        assertThatThrownBy(() -> report.addRow("r", 1.0)).hasMessageContaining("1 values for 2 columns");
        assertThatThrownBy(() -> report.addRow("r", Map.of("c", 1.0))).hasMessageContaining("unknown column c");
        assertThatThrownBy(() -> new EvalReport("t", List.of("a", "a"))).hasMessageContaining("duplicate column");
        assertThatThrownBy(() -> EvalReport.fromJson("{\"columns\": []}")).hasMessageContaining("title");
        assertThatThrownBy(() -> EvalReport.fromJson("{")).isInstanceOf(IllegalArgumentException.class);
    }
}
