package io.streamcl.ingest;

import java.io.UncheckedIOException;
import org.apache.commons.csv.CSVFormat;

/**
 * RFC 4180 as every CSV file of ours is read and written (Commons CSV), and its syntax errors said in words.
 * A quote inside an unquoted field is kept as text, as Commons CSV, Python's csv and spreadsheets read it.
 */
public final class CsvSyntax {

    /**
     * Commas, double quotes doubled inside a quoted field, which may span lines; records end in {@code \n} on
     * write and in any line break on read. Blank lines come back as a record of one empty field, so that a
     * reader that skips them still knows each record's line.
     */
    public static final CSVFormat RFC4180 = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false)
            .setRecordSeparator("\n").get();

    private static final String UNCLOSED = "EOF reached before encapsulated token finished";

    private CsvSyntax() {}

    /** Whether the error is a quoted field still open at the end of the input (the record's first line names it). */
    public static boolean unclosedQuote(Exception e) {
        return String.valueOf(cause(e).getMessage()).contains(UNCLOSED);
    }

    /** What is wrong, for a message that gives the line itself. */
    public static String reason(Exception e) {
        String message = String.valueOf(cause(e).getMessage());
        if (message.contains(UNCLOSED)) {
            return "quoted field is not closed";
        }
        if (message.contains("Invalid character between encapsulated token and delimiter")) {
            return "unexpected text after a closing quote";
        }
        return message;
    }

    /** The parser's own exception, where its iterator wrapped it. */
    private static Throwable cause(Exception e) {
        return e instanceof UncheckedIOException u ? u.getCause() : e;
    }
}
