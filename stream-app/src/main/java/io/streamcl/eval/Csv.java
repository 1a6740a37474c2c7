package io.streamcl.eval;

import io.streamcl.ingest.CsvSyntax;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** RFC 4180 fields through Commons CSV: quoting on write, a record reader that knows its line numbers. */
final class Csv {

    private Csv() {}

    /** The field as written: quoted (with doubled quotes) if it holds a comma, a quote or a line break. */
    static String field(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        try {
            CsvSyntax.RFC4180.print(value, out, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    /**
     * Reads records; a quoted field may span lines. Blank lines between records are skipped and a UTF-8
     * byte-order mark at the start is dropped.
     */
    static final class RecordReader {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final String source;
        private int recordLine;

        RecordReader(BufferedReader in, String source) throws IOException {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            this.parser = CSVParser.builder().setReader(in).setFormat(CsvSyntax.RFC4180).get();
            this.records = parser.iterator();
            this.source = source;
        }

        /** The line (from 1) on which the last record returned by {@link #next} starts. */
        int recordLine() {
            return recordLine;
        }

        /** The next record's fields, or null at the end of the input. */
        List<String> next() throws IOException {
            while (true) {
                // the line breaks read so far: the next record starts on the line after them
                int startLine = (int) parser.getCurrentLineNumber() + 1;
                CSVRecord record;
                try {
                    if (!records.hasNext()) {
                        return null;
                    }
                    record = records.next();
                } catch (UncheckedIOException | IllegalStateException e) {
                    // past the bad character, the parser has counted the line it is on
                    throw error(CsvSyntax.unclosedQuote(e) ? startLine
                            : Math.max(startLine, (int) parser.getCurrentLineNumber()), CsvSyntax.reason(e));
                }
                if (record.size() == 0 || record.size() == 1 && record.get(0).isEmpty()) {
                    continue; // a blank line
                }
                recordLine = startLine;
                return record.toList();
            }
        }

        IOException error(int atLine, String message) {
            return new IOException(source + ": line " + atLine + ": " + message);
        }
    }
}
