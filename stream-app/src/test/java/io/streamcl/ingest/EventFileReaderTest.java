package io.streamcl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventFileReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static List<EventRow> read(Path file, List<String> bad) throws IOException {
        try (Stream<EventRow> rows = EventFileReader.csv(file, bad::add)) {
            return rows.toList();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "964982703; 964982703000",              // epoch seconds (MovieLens)
        "1700000000123; 1700000000123",         // epoch millis
        "99999999999; 99999999999000",          // just below 10^11: seconds
        "100000000000; 100000000000",           // 10^11: millis
        "964982703.5; 964982703500",            // decimal seconds
        "2024-01-02T03:04:05Z; 1704164645000",
        "2024-01-02T03:04:05.250Z; 1704164645250",
        "2024-01-02T05:04:05+02:00; 1704164645000",
        "2024-01-02T03:04:05; 1704164645000",   // no zone: UTC
        "2024-01-02 03:04:05; 1704164645000",   // space for T
        "2024-01-02; 1704153600000",            // a date: midnight UTC
    })
    void shouldDetectEpochSecondsMillisAndIso(String field, long expectedMillis) {
        assertThat(EventFileReader.parseTimestampMillis(field)).isEqualTo(expectedMillis);
    }

    @Test
    void shouldAgreeWithInstantOnIso() {
        assertThat(EventFileReader.parseTimestampMillis("2024-01-02T03:04:05Z"))
                .isEqualTo(Instant.parse("2024-01-02T03:04:05Z").toEpochMilli());
    }

    @Test
    void shouldRejectUnknownTimestampFormat() {
        assertThatThrownBy(() -> EventFileReader.parseTimestampMillis("yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timestamp is not epoch seconds, epoch milliseconds or ISO-8601: yesterday");
        assertThatThrownBy(() -> EventFileReader.parseTimestampMillis("2024-13-40"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadGenericCsvWithOptionalWeight() throws IOException {
        Path f = write("events.csv", "user,item,timestamp,weight\n"
                + "u1,i1,1700000000,2.5\n"
                + "u2,i2,1700000001000\n"
                + "u1,i3,2023-11-14T22:13:22Z,\n");
        List<String> bad = new ArrayList<>();
        List<EventRow> rows = read(f, bad);

        assertThat(bad).isEmpty();
        assertThat(rows).containsExactly(
                new EventRow("u1", "i1", "interaction", 1_700_000_000_000L, 2.5f, null),
                new EventRow("u2", "i2", "interaction", 1_700_000_001_000L, null, null),
                new EventRow("u1", "i3", "interaction", 1_700_000_002_000L, null, null));
    }

    @Test
    void shouldNotLoseTheFirstRowWhenThereIsNoHeader() throws IOException {
        Path f = write("events.csv", "u1,i1,1700000000\nu2,i2,1700000001\n");
        assertThat(read(f, new ArrayList<>())).extracting(EventRow::itemId).containsExactly("i1", "i2");
    }

    @Test
    void shouldReportBadRowsWithLineNumbersAndKeepGoing() throws IOException {
        Path f = write("events.csv", "user,item,timestamp,weight\n"
                + "u1,i1,1700000000\n"
                + "u2,i2\n"                          // 3: too few fields
                + "u3,i3,soon\n"                     // 4: bad timestamp
                + "\n"                               // 5: blank, skipped silently
                + "u4,i4,1700000000,heavy\n"         // 6: bad weight
                + ",i5,1700000000\n"                 // 7: blank user
                + "u6,i6,1700000000,NaN\n"           // 8: weight not finite
                + "u7,\"i7,1700000000\n"             // 9: unclosed quote
                + "u8," + "x".repeat(300) + ",1700000000\n" // 10: id too long
                + "u9,i9,1700000009\n");
        List<String> bad = new ArrayList<>();
        List<EventRow> rows = read(f, bad);

        assertThat(rows).extracting(EventRow::userId).containsExactly("u1", "u9");
        String name = f.toString();
        assertThat(bad).containsExactly(
                name + ": line 3: expected 3 or 4 fields (user,item,timestamp[,weight]), got 2",
                name + ": line 4: timestamp is not epoch seconds, epoch milliseconds or ISO-8601: soon",
                name + ": line 6: weight is not a number: 'heavy'",
                name + ": line 7: userId is blank",
                name + ": line 8: weight must be finite, got NaN",
                name + ": line 9: quoted field is not closed on its line",
                name + ": line 10: itemId has 300 chars, more than 256");
    }

    @Test
    void shouldReadGzipWhateverTheName() throws IOException {
        Path f = dir.resolve("events.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("user,item,timestamp\nu1,i1,1700000000\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(read(f, new ArrayList<>()))
                .containsExactly(new EventRow("u1", "i1", "interaction", 1_700_000_000_000L, null, null));
    }

    @Test
    void shouldDropByteOrderMarkAndTrimUnquotedFields() throws IOException {
        Path f = write("events.csv", "\uFEFFuser,item,timestamp\n u1 , i1 ,1700000000\n\"u 2\",i2,1700000001\n");
        assertThat(read(f, new ArrayList<>())).extracting(EventRow::userId).containsExactly("u1", "u 2");
    }

    @Test
    void shouldFailOnAMissingFileRatherThanReportRows() {
        assertThatThrownBy(() -> EventFileReader.csv(dir.resolve("nope.csv"), s -> { }))
                .isInstanceOf(IOException.class);
    }

    @Test
    void shouldSortByTimeKeepingFileOrderForEqualTimestamps() {
        List<EventRow> in = List.of(
                new EventRow("a", "1", "view", 30, null, null),
                new EventRow("b", "2", "view", 10, null, null),
                new EventRow("c", "3", "view", 20, null, null),
                new EventRow("d", "4", "view", 10, null, null),
                new EventRow("e", "5", "view", 20, null, null),
                new EventRow("f", "6", "view", 10, null, null));

        List<EventRow> sorted = EventFileReader.sortedByTime(in.stream());

        assertThat(sorted).extracting(EventRow::userId).containsExactly("b", "d", "f", "c", "e", "a");
    }

    @Test
    void shouldReplayAFileSortedByUserInTimestampOrder() throws IOException {
        Path f = write("events.csv", "user,item,timestamp\n"
                + "u1,a,1700000003\nu1,b,1700000005\nu2,c,1700000001\nu2,d,1700000004\nu3,e,1700000002\n");
        List<EventRow> sorted = EventFileReader.sortedByTime(EventFileReader.csv(f, s -> { }));
        assertThat(sorted).extracting(EventRow::itemId).containsExactly("c", "e", "a", "d", "b");
    }

    @Test
    void shouldSplitQuotedCsvFields() {
        assertThat(EventFileReader.splitCsv("1,\"American President, The (1995)\",Comedy|Drama|Romance"))
                .containsExactly("1", "American President, The (1995)", "Comedy|Drama|Romance");
        assertThat(EventFileReader.splitCsv("2,\"Say \"\"Hi\"\"\",,x"))
                .containsExactly("2", "Say \"Hi\"", "", "x");
        assertThat(EventFileReader.splitCsv("\"a\",")).containsExactly("a", "");
        assertThat(EventFileReader.splitCsv(" \" a \" , b ,\"c\"")).containsExactly(" a ", "b", "c");
        assertThat(EventFileReader.splitCsv("a,b\"c,\"d\"")).containsExactly("a", "b\"c", "d");
        assertThatThrownBy(() -> EventFileReader.splitCsv("\"a\"b,c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unexpected text after a closing quote");
        assertThatThrownBy(() -> EventFileReader.splitCsv("a,\"b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("quoted field is not closed on its line");
    }
}
