package io.streamcl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcl.eval.EmbeddingFile;
import io.streamcl.eval.EvalReport;
import io.streamcl.eval.EmbeddingFile.Format;
import io.streamcl.eval.ExportedEmbedding;
import io.streamcl.eval.KnnEvaluation;
import io.streamcl.eval.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The eval subcommand end to end, on files in a temporary folder. */
class EvalCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new EvalCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    /** n items per class, class c clustered around axis c; ids prefix + running index, label c. */
    private static List<ExportedEmbedding> clusters(String prefix, int perClass, int classes, long version, long seed) {
        Random rnd = new Random(seed);
        List<ExportedEmbedding> rows = new ArrayList<>();
        int i = 0;
        for (int c = 0; c < classes; c++) {
            for (float[] v : TestData.cluster(rnd, TestData.axis(8, c, 2f), perClass, 0.2)) {
                rows.add(new ExportedEmbedding(prefix + i++, "image", "image-moco", version, 100 * version, v));
            }
        }
        return rows;
    }

    private static int[] classOfIndex(int perClass, int classes) {
        int[] labels = new int[perClass * classes];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }

    @Test
    void shouldEvaluateAHoldoutOfTheMemoryWithIdxLabels() throws IOException {
        Path memory = dir.resolve("memory.jsonl");
        EmbeddingFile.write(memory, Format.JSONL, clusters("train-", 100, 2, 12, 1));
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        TestData.writeIdxLabels(labels, true, classOfIndex(100, 2));
        Path json = dir.resolve("report.json");

        int code = run("--memory", memory.toString(), "--memory-labels", labels.toString(),
                "--memory-id-prefix", "train-", "--k", "10", "--report-json", json.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("20% holdout (seed 42)", "image-moco v12", "1.000", "160", "40");
        EvalReport report = EvalReport.fromJson(Files.readString(json));
        assertThat(report.value("image-moco v12", KnnEvaluation.KNN)).isEqualTo(1.0);
        assertThat(report.value("image-moco v12", KnnEvaluation.MEMORY)).isEqualTo(160);
        assertThat(report.value("image-moco v12", KnnEvaluation.QUERIES)).isEqualTo(40);
        assertThat(report.value("image-moco v12", KnnEvaluation.UNIFORMITY)).isLessThan(0);
        assertThat(report.meta()).containsEntry("memory file", memory.toString()).containsEntry("k", "10");
    }

    @Test
    void shouldBeReproducibleForASeed() throws IOException {
        Random rnd = new Random(5);
        List<ExportedEmbedding> rows = new ArrayList<>();
        StringBuilder labels = new StringBuilder("id,label\n");
        for (int i = 0; i < 300; i++) {
            rows.add(new ExportedEmbedding("id" + i, "image", "m", 1, 1, TestData.gaussian(rnd, 1, 8)[0]));
            labels.append("id").append(i).append(',').append(rnd.nextBoolean() ? "a" : "b").append('\n');
        }
        Path memory = dir.resolve("m.csv");
        EmbeddingFile.write(memory, Format.CSV, rows);
        Path labelFile = dir.resolve("l.csv");
        Files.writeString(labelFile, labels);

        run("--memory", memory.toString(), "--memory-labels", labelFile.toString(), "--seed", "7");
        String first = out.toString();
        run("--memory", memory.toString(), "--memory-labels", labelFile.toString(), "--seed", "7");

        assertThat(out.toString()).isEqualTo(first + first);
    }

    @Test
    void shouldEvaluateQueriesPerVersionAndWarnAboutMixedVersions() throws IOException {
        List<ExportedEmbedding> memoryRows = new ArrayList<>(clusters("m", 50, 3, 2, 1));
        memoryRows.addAll(clusters("old", 10, 3, 1, 2));
        memoryRows.add(new ExportedEmbedding("no-label", "image", "image-moco", 2, 200, new float[8]));
        Path memory = dir.resolve("memory.csv");
        EmbeddingFile.write(memory, Format.CSV, memoryRows);
        Path queries = dir.resolve("queries.jsonl");
        EmbeddingFile.write(queries, Format.JSONL, clusters("q", 10, 3, 2, 3));
        // label names appear in a different order in the two files: they must be matched by name
        StringBuilder memoryLabels = new StringBuilder("id,label\n");
        for (int i = 0; i < 150; i++) {
            memoryLabels.append('m').append(i).append(',').append(List.of("shirt", "bag", "boot").get(i / 50)).append('\n');
        }
        for (int i = 0; i < 30; i++) {
            memoryLabels.append("old").append(i).append(',').append(List.of("shirt", "bag", "boot").get(i / 10)).append('\n');
        }
        Path memoryLabelFile = dir.resolve("memory-labels.csv");
        Files.writeString(memoryLabelFile, memoryLabels);
        StringBuilder queryLabels = new StringBuilder("id,label\n");
        for (int i = 29; i >= 1; i--) {
            queryLabels.append('q').append(i).append(',').append(List.of("shirt", "bag", "boot").get(i / 10)).append('\n');
        }
        Path queryLabelFile = dir.resolve("query-labels.csv");
        Files.writeString(queryLabelFile, queryLabels);

        int code = run("--memory", memory.toString(), "--memory-labels", memoryLabelFile.toString(),
                "--queries", queries.toString(), "--query-labels", queryLabelFile.toString(), "--k", "5");

        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains(
                "mixes 2 model versions (v1, v2)",
                "v1 is in the memory file only",
                "ids without a label were skipped: 1 in the memory, 1 in the queries");
        assertThat(out.toString()).contains("image-moco v2").doesNotContain("image-moco v1");
        assertThat(out.toString().lines().filter(l -> l.startsWith("image-moco v2")).findFirst().orElseThrow())
                .contains("1.000", "150", "29");
    }

    @Test
    void shouldFailWithExitCodeTwoWhenNoQueryHasALabel() throws IOException {
        Path memory = dir.resolve("memory.jsonl");
        EmbeddingFile.write(memory, Format.JSONL, clusters("train-", 20, 2, 1, 1));
        Path queries = dir.resolve("queries.jsonl");
        EmbeddingFile.write(queries, Format.JSONL, clusters("unknown-", 5, 2, 1, 2));
        Path labels = dir.resolve("labels.idx");
        TestData.writeIdxLabels(labels, false, classOfIndex(20, 2));

        int code = run("--memory", memory.toString(), "--memory-labels", labels.toString(),
                "--memory-id-prefix", "train-", "--queries", queries.toString(), "--query-id-prefix", "test-");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("error: no usable queries", "image-moco v1: no labelled queries",
                "ids without a label were skipped: 0 in the memory, 10 in the queries");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void shouldFailWithExitCodeTwoWhenNoMemoryIdHasALabel() throws IOException {
        Path memory = dir.resolve("memory.jsonl");
        EmbeddingFile.write(memory, Format.JSONL, clusters("x", 20, 2, 1, 1));
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "id,label\nother,a\n");

        assertThat(run("--memory", memory.toString(), "--memory-labels", labels.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no usable queries");
    }

    @Test
    void shouldRejectBadOptionsWithExitCodeTwo() throws IOException {
        Path memory = dir.resolve("memory.jsonl");
        EmbeddingFile.write(memory, Format.JSONL, clusters("x", 5, 2, 1, 1));

        assertThat(run("--memory", memory.toString(), "--memory-labels", "l.csv", "--holdout", "1.5")).isEqualTo(2);
        assertThat(err.toString()).contains("holdout must be in (0, 1)");
        assertThat(run("--memory", memory.toString(), "--memory-labels", "l.csv", "--k", "0")).isEqualTo(2);
        assertThat(run("--memory", memory.toString(), "--memory-labels", "l.csv", "--query-labels", "q.csv"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("need --queries");
        assertThat(run("--memory", memory.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--memory-labels");
    }

    @Test
    void shouldFailWithExitCodeOneOnAMissingOrMalformedFile() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "id,model_version,v0\na,1,zz\n");
        Path labels = dir.resolve("l.csv");
        Files.writeString(labels, "id,label\na,x\n");

        assertThat(run("--memory", dir.resolve("absent.csv").toString(), "--memory-labels", labels.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("no such file").contains("absent.csv");
        assertThat(run("--memory", bad.toString(), "--memory-labels", labels.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("line 2");
    }

    @Test
    void shouldPrintHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--memory", "--holdout", "Exit codes");
    }
}
