package io.streamcl.kind;

import io.streamcl.ingest.RawItems;
import io.streamcl.ingest.SentenceItems;
import io.streamcl.ingest.TextFileReader;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The files sentences are read from. */
final class SentenceFormats {
    private SentenceFormats() {}

    static List<ItemFormat> all() {
        return List.of(new ItemFormat("tsv", "with a header; see --text-column", false, "the column holding each label",
                        (o, onSkip) -> sentences(TextFileReader.tsv(o.input(), o.textColumn(), o.idColumn(), onSkip), o,
                                onSkip),
                        o -> o.textColumn() == null ? "--format tsv needs --text-column" : null),
                ItemFormat.of("lines", "one sentence per line",
                        (o, onSkip) -> sentences(TextFileReader.lines(o.input()), o, onSkip)));
    }

    private static Stream<RawItem> sentences(Stream<TextFileReader.TextRow> rows, ItemFormat.Options o,
            Consumer<String> onSkip) throws IOException {
        long now = System.currentTimeMillis();
        return rows.filter(row -> {
            if (row.text().isBlank()) {
                onSkip.accept("row " + row.index() + ": blank sentence");
                return false;
            }
            return true;
        }).map(row -> SentenceItems.rawItem(row.id() != null ? row.id() : o.idPrefix() + row.index(), now, row.text(),
                o.labels() == null ? Map.of() : Map.of(RawItems.LABEL_ATTRIBUTE, label(row, o.labels()))));
    }

    private static String label(TextFileReader.TextRow row, String column) {
        String label = row.otherColumns().get(column);
        if (label == null) {
            String problem = "--labels " + column + ": no such column in the header (columns besides the text and the"
                    + " id: " + String.join(", ", row.otherColumns().keySet()) + ")";
            throw new UncheckedIOException(problem, new IOException(problem));
        }
        return label;
    }
}
