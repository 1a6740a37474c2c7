package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.eval.EmbeddingFile.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddingFileTest {

    @TempDir
    Path dir;

    private static List<ExportedEmbedding> rows() {
        return List.of(
                new ExportedEmbedding("img-0", "image", "image-moco", 12, 3400, new float[] {0.6f, -0.8f, 0f}),
                new ExportedEmbedding("a,b \"quoted\" id", "image", "image-moco", 12, 3400,
                        new float[] {1e-7f, Float.MIN_VALUE, -Float.MAX_VALUE}),
                new ExportedEmbedding("multi\nline", "image", "image-moco", 11, 3000, new float[] {0.1f, 0.2f, 0.3f}));
    }

    @Test
    void shouldRoundTripJsonlIncludingIdsWithCommasAndQuotes() throws IOException {
        Path file = dir.resolve("e.jsonl");

        EmbeddingFile.write(file, Format.JSONL, rows());

        assertThat(EmbeddingFile.read(file)).containsExactlyElementsOf(rows());
        assertThat(Files.readAllLines(file)).hasSize(3).first().asString()
                .startsWith("{\"id\":\"img-0\",\"kind\":\"image\",\"model_name\":\"image-moco\","
                        + "\"model_version\":12,\"model_step\":3400,\"dim\":3,\"vector\":[");
    }

    @Test
    void shouldRoundTripCsvIncludingIdsWithCommasAndQuotes() throws IOException {
        Path file = dir.resolve("e.csv");

        EmbeddingFile.write(file, Format.CSV, rows());

        List<ExportedEmbedding> read = EmbeddingFile.read(file);
        assertThat(read).hasSize(3);
        for (int i = 0; i < 3; i++) {
            ExportedEmbedding expected = rows().get(i);
            // CSV carries no kind, model name or step
            assertThat(read.get(i)).isEqualTo(new ExportedEmbedding(expected.id(), "", "", expected.modelVersion(),
                    ExportedEmbedding.UNKNOWN_STEP, expected.vector()));
        }
        String text = Files.readString(file);
        assertThat(text).startsWith("id,model_version,v0,v1,v2\nimg-0,12,0.6,-0.8,0.0\n\"a,b \"\"quoted\"\" id\",12,");
    }

    @Test
    void shouldReadOptionalCsvColumnsAndAnyColumnOrder() throws IOException {
        Path file = dir.resolve("e.csv");
        Files.writeString(file, "\uFEFFv1,model_step,id,kind,model_version,v0,model_name\r\n"
                + "2.5,77,x1,image,4,-1,enc\r\n\r\n");

        assertThat(EmbeddingFile.read(file))
                .containsExactly(new ExportedEmbedding("x1", "image", "enc", 4, 77, new float[] {-1f, 2.5f}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"e.csv.gz", "e.jsonl.gz", "e.json", "no-extension"})
    void shouldReadGzipAndSniffTheFormat(String name) throws IOException {
        Path file = dir.resolve(name);
        Format format = name.contains("csv") ? Format.CSV : Format.JSONL;

        EmbeddingFile.write(file, format, rows().subList(0, 1));

        assertThat(EmbeddingFile.read(file)).hasSize(1).first().extracting(ExportedEmbedding::id).isEqualTo("img-0");
    }

    @Test
    void shouldSniffCsvWithoutExtension() throws IOException {
        Path file = dir.resolve("export.txt");
        Files.writeString(file, "id,model_version,v0\nq,1,0.5\n");

        assertThat(EmbeddingFile.read(file)).containsExactly(new ExportedEmbedding("q", "", "", 1, -1, new float[] {0.5f}));
    }

    @Test
    void shouldReadAJsonArray() throws IOException {
        Path file = dir.resolve("e.json");
        Files.writeString(file, "[\n {\"id\": \"a\", \"model_version\": 2, \"vector\": [1, 2.5e-3], \"extra\": {\"x\": [1]}},\n"
                + " {\"id\": \"b\", \"model_version\": 2, \"kind\": null, \"vector\": [0, 1]}\n]\n");

        assertThat(EmbeddingFile.read(file)).containsExactly(
                new ExportedEmbedding("a", "", "", 2, -1, new float[] {1f, 2.5e-3f}),
                new ExportedEmbedding("b", "", "", 2, -1, new float[] {0f, 1f}));
    }

    @Test
    void shouldRoundTripExactFloatsForManyRows() throws IOException {
        Random rnd = new Random(5);
        List<ExportedEmbedding> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            float[] v = new float[16];
            for (int t = 0; t < v.length; t++) {
                v[t] = Float.intBitsToFloat(rnd.nextInt() & 0x3fffffff) * (rnd.nextBoolean() ? 1 : -1);
            }
            many.add(new ExportedEmbedding("id-" + i, "item", "m", 3, 9, v));
        }
        Path jsonl = dir.resolve("many.jsonl");
        Path csv = dir.resolve("many.csv");

        EmbeddingFile.write(jsonl, Format.JSONL, many);
        EmbeddingFile.write(csv, Format.CSV, many);

        assertThat(EmbeddingFile.read(jsonl)).containsExactlyElementsOf(many);
        List<ExportedEmbedding> fromCsv = EmbeddingFile.read(csv);
        for (int i = 0; i < many.size(); i++) {
            assertThat(fromCsv.get(i).vector()).containsExactly(many.get(i).vector());
        }
    }

    @Test
    void shouldWriteEmptyFilesThatReadBackEmpty() throws IOException {
        Path csv = dir.resolve("empty.csv");
        Path jsonl = dir.resolve("empty.jsonl");

        EmbeddingFile.write(csv, Format.CSV, List.of());
        EmbeddingFile.write(jsonl, Format.JSONL, List.of());

        assertThat(EmbeddingFile.read(csv)).isEmpty();
        assertThat(EmbeddingFile.read(jsonl)).isEmpty();
    }

    @Test
    void shouldRejectMixedDimensionsAndNonFiniteValuesOnWrite() {
        List<ExportedEmbedding> mixed = List.of(
                new ExportedEmbedding("a", "", "", 1, 1, new float[] {1, 0}),
                new ExportedEmbedding("b", "", "", 1, 1, new float[] {1, 0, 0}));
        List<ExportedEmbedding> nan = List.of(new ExportedEmbedding("c", "", "", 1, 1, new float[] {Float.NaN}));

        assertThatThrownBy(() -> EmbeddingFile.write(dir.resolve("m.csv"), Format.CSV, mixed))
                .hasMessageContaining("dim 3");
        assertThatThrownBy(() -> EmbeddingFile.write(dir.resolve("n.jsonl"), Format.JSONL, nan))
                .hasMessageContaining("non-finite").hasMessageContaining("id c");
    }

    @Test
    void shouldNameTheLineOfAMalformedCsvRow() throws IOException {
        assertCsvError("id,model_version,v0,v1\na,1,0.5,0.5\nb,1,0.5\n", "line 3: expected 4 fields, found 3");
        assertCsvError("id,model_version,v0\na,1,0.5\nb,1,abc\n", "line 3: v0 is not a number: 'abc'");
        assertCsvError("id,model_version,v0\na,x,0.5\n", "line 2: model_version is not an integer");
        assertCsvError("id,model_version,v0\n\"a,1,0.5\n", "line 2: quoted field is not closed");
        assertCsvError("id,model_version,v0\n\"a\"x,1,0.5\n", "line 2: unexpected text after a closing quote");
        assertCsvError("id,model_version,v0\n\"a\nb\"x,1,0.5\n", "line 3: unexpected text after a closing quote");
        assertCsvError("id,model_version,v0\n\"x\ny\",1,0.5\nb,1,NaN\n", "line 4: v0 is not finite");
        assertCsvError("id,v0\na,0.5\n", "line 1: the header has no 'model_version' column");
        assertCsvError("id,model_version,v0,v2\na,1,0.5,0.5\n", "line 1: vector columns must be v0..v0");
    }

    @Test
    void shouldKeepAQuoteInsideAnUnquotedCsvFieldAsText() throws IOException {
        Path file = dir.resolve("quote.csv");
        Files.writeString(file, "id,model_version,v0\na\"b,1,0.5\n", StandardCharsets.UTF_8);
        assertThat(EmbeddingFile.read(file)).extracting(ExportedEmbedding::id).containsExactly("a\"b");
    }

    @Test
    void shouldNameTheLineOfAMalformedJsonlRow() throws IOException {
        String good = "{\"id\":\"a\",\"model_version\":1,\"vector\":[1,0]}\n";
        assertJsonError(good + good + "{\"id\":\"b\",\"model_version\":1,\"vector\":[1,\"x\"]}\n", "line 3: 'vector' holds a non-number");
        assertJsonError(good + "{\"id\":\"b\",\"model_version\":1,\"vector\":[1,0]\n", "line 2");
        assertJsonError(good + "{\"id\":\"b\",\"vector\":[1,0]}\n", "line 2: missing 'model_version'");
        assertJsonError(good + "{\"id\":\"b\",\"model_version\":1,\"dim\":3,\"vector\":[1,0]}\n", "line 2: 'dim' is 3");
        assertJsonError(good + "[1]\n", "line 2: expected an object");
        assertJsonError(good + "{\"id\":7,\"model_version\":1,\"vector\":[1,0]}\n", "line 2: 'id' must be a string");
        assertJsonError(good + "{\"id\":\"b\",\"model_version\":1.5,\"vector\":[1,0]}\n",
                "line 2: 'model_version' must be an integer");
        assertJsonError(good + "{\"id\":\"b\",\"model_version\":1,\"vector\":[1,1e39]}\n",
                "line 2: 'vector' holds a non-finite value");
    }

    private void assertCsvError(String content, String message) throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EmbeddingFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }

    private void assertJsonError(String content, String message) throws IOException {
        Path file = dir.resolve("bad.jsonl");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EmbeddingFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(message);
    }
}
