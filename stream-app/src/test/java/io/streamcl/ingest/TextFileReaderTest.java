package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcl.ingest.TextFileReader.TextRow;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileReaderTest {

    private static final String TSV = "fileid\tgenre\tsentence\n"
            + "d1\tnews\tThe jury said so .\n"
            + "d1\tnews\tIt was late .\n"
            + "d2\tfiction\t\"Go home,\" she said.\n";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private Path writeGzip(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static List<TextRow> readTsv(Path file, String text, String id, List<String> bad) throws IOException {
        try (Stream<TextRow> rows = TextFileReader.tsv(file, text, id, bad::add)) {
            return rows.toList();
        }
    }

    @Test
    void shouldReadTsvColumnsByName() throws IOException {
        List<String> bad = new ArrayList<>();
        List<TextRow> rows = readTsv(write("a.tsv", TSV), "sentence", null, bad);
        assertThat(rows).containsExactly(
                new TextRow(0, null, "The jury said so .", Map.of("fileid", "d1", "genre", "news")),
                new TextRow(1, null, "It was late .", Map.of("fileid", "d1", "genre", "news")),
                new TextRow(2, null, "\"Go home,\" she said.", Map.of("fileid", "d2", "genre", "fiction")));
        assertThat(rows.get(0).otherColumns().keySet()).containsExactly("fileid", "genre");
        assertThat(bad).isEmpty();
    }

    @Test
    void shouldReadTsvColumnsByIndexWithAnIdColumn() throws IOException {
        List<TextRow> rows = readTsv(write("a.tsv", TSV), "2", "0", new ArrayList<>());
        assertThat(rows).extracting(TextRow::id).containsExactly("d1", "d1", "d2");
        assertThat(rows.get(2).text()).isEqualTo("\"Go home,\" she said.");
        assertThat(rows.get(2).otherColumns()).containsExactly(Map.entry("genre", "fiction"));
    }

    @Test
    void shouldPreferHeaderNameOverIndex() throws IOException {
        Path p = write("n.tsv", "1\t0\nfirst\tsecond\n");
        assertThat(readTsv(p, "0", null, new ArrayList<>())).extracting(TextRow::text).containsExactly("second");
    }

    @Test
    void shouldReadGzipByContentNotName() throws IOException {
        Path gz = writeGzip("plain-name.tsv", TSV);
        assertThat(readTsv(gz, "sentence", "fileid", new ArrayList<>())).hasSize(3);
        Path notGz = write("looks.gz", TSV);
        assertThat(readTsv(notGz, "sentence", "fileid", new ArrayList<>())).hasSize(3);
    }

    @Test
    void shouldReportBadRowsWithLineNumberAndGoOn() throws IOException {
        String content = "id\ttext\n"
                + "a\tfine\n"
                + "only-one-field\n"
                + "\n"
                + "b\tthree\tfields\n"
                + "c\talso fine\r\n";
        List<String> bad = new ArrayList<>();
        Path p = write("bad.tsv", content);
        List<TextRow> rows = readTsv(p, "text", "id", bad);
        assertThat(rows).extracting(TextRow::id).containsExactly("a", "c");
        assertThat(rows).extracting(TextRow::index).containsExactly(0L, 1L);
        assertThat(rows.get(1).text()).isEqualTo("also fine");
        assertThat(bad).containsExactly(
                p + ": line 3: expected 2 tab-separated fields, got 1",
                p + ": line 5: expected 2 tab-separated fields, got 3");
    }

    @Test
    void shouldSkipByteOrderMarkAndKeepUnicode() throws IOException {
        Path p = write("bom.tsv", "\uFEFFtext\nПривет, мир\nnaïve café\n");
        assertThat(readTsv(p, "text", null, new ArrayList<>())).extracting(TextRow::text)
                .containsExactly("Привет, мир", "naïve café");
    }

    @Test
    void shouldFailOnMissingColumnEmptyFileOrDuplicateHeader() throws IOException {
        Path p = write("a.tsv", TSV);
        assertThatThrownBy(() -> readTsv(p, "text", null, new ArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessage(p + ": no text column \"text\" in the header [fileid, genre, sentence]"
                        + " (give a name or a 0-based index)");
        assertThatThrownBy(() -> readTsv(p, "sentence", "3", new ArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessage(p + ": id column index 3 is out of range: the header has 3 columns"
                        + " [fileid, genre, sentence]");
        Path empty = write("empty.tsv", "");
        assertThatThrownBy(() -> readTsv(empty, "0", null, new ArrayList<>()))
                .isInstanceOf(IOException.class).hasMessageContaining("empty TSV file");
        Path twice = write("twice.tsv", "a\tb\ta\n1\t2\t3\n");
        assertThatThrownBy(() -> readTsv(twice, "b", null, new ArrayList<>()))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("header names column \"a\" twice (columns 0 and 2)");
        assertThatThrownBy(() -> readTsv(dir.resolve("missing.tsv"), "b", null, new ArrayList<>()))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void shouldReadOneSentencePerLineSkippingBlankLines() throws IOException {
        Path p = writeGzip("lines.txt.gz", "First sentence.\n\n   \nSecond one.\r\nThird\n");
        try (Stream<TextRow> rows = TextFileReader.lines(p)) {
            assertThat(rows.toList()).containsExactly(
                    new TextRow(0, null, "First sentence.", Map.of()),
                    new TextRow(1, null, "Second one.", Map.of()),
                    new TextRow(2, null, "Third", Map.of()));
        }
    }

    @Test
    void shouldReadRowsOnlyAsTheyAreConsumed() throws IOException {
        Path p = write("lazy.tsv", "text\nfirst\nsecond\tbad\nthird\n");
        List<String> bad = new ArrayList<>();
        try (Stream<TextRow> rows = TextFileReader.tsv(p, "text", null, bad::add)) {
            assertThat(rows.findFirst()).get().extracting(TextRow::text).isEqualTo("first");
        }
        // the bad row on line 3 was never reached
        assertThat(bad).isEmpty();
    }
}
