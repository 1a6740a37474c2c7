package io.streamcl.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads sentences from text files, lazily, one row at a time, so a corpus larger than memory can be
 * streamed to the raw-items topic.
 *
 * <ul>
 *   <li>{@link #tsv}: tab-separated values with a header row. Fields are split on every tab, with no
 *       quoting or escapes (as in the IANA text/tab-separated-values type), so a field holds no tab or
 *       line break.</li>
 *   <li>{@link #lines}: one sentence per line; blank lines are skipped.</li>
 * </ul>
 * Both read UTF-8 (a leading byte order mark is dropped; malformed bytes become U+FFFD rather than
 * stopping a long read) and accept \n, \r\n or \r line ends. Gzip is detected from the content (0x1f
 * 0x8b), not the file name. The returned stream holds the file open: close it, e.g. with
 * try-with-resources. An I/O error while streaming surfaces as {@link UncheckedIOException}.
 */
public final class TextFileReader {

    /**
     * One sentence from a file.
     *
     * @param index the row's position among the rows returned, from 0 (a bad row skipped takes no index),
     *     e.g. to make ids for a file without an id column
     * @param id the id column's value, or null when no id column was asked for
     * @param text the text column's value, as in the file (not trimmed)
     * @param otherColumns every other column, header name to value, in header order; unmodifiable
     */
    public record TextRow(long index, String id, String text, Map<String, String> otherColumns) {
        public TextRow {
            Objects.requireNonNull(text, "text");
            otherColumns = Collections.unmodifiableMap(new LinkedHashMap<>(otherColumns));
        }
    }

    private TextFileReader() {}

    /**
     * The rows of a TSV file with a header row.
     *
     * @param textColumn the column holding the sentence: a header name, or else a 0-based index written
     *     as a number (a name wins if a header is literally "0")
     * @param idColumn the same for the id column; null when the file has none
     * @param onBadRow told about every row skipped for having a different number of fields than the
     *     header, with the file and its 1-based line number (the header is line 1); a blank line is
     *     skipped silently
     * @throws IOException when the file is missing or unreadable, has no header, repeats a header name, or
     *     lacks a column asked for
     */
    public static Stream<TextRow> tsv(Path file, String textColumn, String idColumn, Consumer<String> onBadRow)
            throws IOException {
        Objects.requireNonNull(textColumn, "textColumn");
        Objects.requireNonNull(onBadRow, "onBadRow");
        BufferedReader reader = open(file);
        try {
            String headerLine = reader.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new IOException(file + ": empty TSV file, expected a header row on line 1");
            }
            List<String> header = List.of(headerLine.split("\t", -1));
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                Integer before = byName.put(header.get(i), i);
                if (before != null) {
                    throw new IOException(file + ": header names column \"" + header.get(i) + "\" twice (columns "
                            + before + " and " + i + ")");
                }
            }
            int textIndex = column(file, header, byName, textColumn, "text");
            int idIndex = idColumn == null ? -1 : column(file, header, byName, idColumn, "id");
            if (textIndex == idIndex) {
                throw new IllegalArgumentException("textColumn and idColumn are the same column: "
                        + header.get(textIndex));
            }
            Spliterator<TextRow> rows = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                    Spliterator.ORDERED | Spliterator.NONNULL) {
                private long lineNumber = 1;
                private long index = 0;

                @Override
                public boolean tryAdvance(Consumer<? super TextRow> action) {
                    String line;
                    while ((line = readLine(file, reader)) != null) {
                        lineNumber++;
                        if (line.isBlank()) {
                            continue;
                        }
                        String[] fields = line.split("\t", -1);
                        if (fields.length != header.size()) {
                            onBadRow.accept(file + ": line " + lineNumber + ": expected " + header.size()
                                    + " tab-separated fields, got " + fields.length);
                            continue;
                        }
                        Map<String, String> others = new LinkedHashMap<>();
                        for (int i = 0; i < fields.length; i++) {
                            if (i != textIndex && i != idIndex) {
                                others.put(header.get(i), fields[i]);
                            }
                        }
                        String id = idIndex < 0 ? null : fields[idIndex];
                        action.accept(new TextRow(index++, id, fields[textIndex], others));
                        return true;
                    }
                    return false;
                }
            };
            return StreamSupport.stream(rows, false).onClose(() -> close(file, reader));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The non-blank lines of a file, each a {@link TextRow} with no id and no other columns. */
    public static Stream<TextRow> lines(Path file) throws IOException {
        BufferedReader reader = open(file);
        Spliterator<TextRow> rows = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            private long index = 0;

            @Override
            public boolean tryAdvance(Consumer<? super TextRow> action) {
                String line;
                while ((line = readLine(file, reader)) != null) {
                    if (!line.isBlank()) {
                        action.accept(new TextRow(index++, null, line, Map.of()));
                        return true;
                    }
                }
                return false;
            }
        };
        return StreamSupport.stream(rows, false).onClose(() -> close(file, reader));
    }

    /** A column by header name, or else by 0-based index. */
    private static int column(Path file, List<String> header, Map<String, Integer> byName, String column,
                              String role) throws IOException {
        Integer byHeader = byName.get(column);
        if (byHeader != null) {
            return byHeader;
        }
        if (!column.isEmpty() && column.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                int i = Integer.parseInt(column);
                if (i < header.size()) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // too many digits: no such column
            }
            throw new IOException(file + ": " + role + " column index " + column + " is out of range: the header has "
                    + header.size() + " columns " + header);
        }
        throw new IOException(file + ": no " + role + " column \"" + column + "\" in the header " + header
                + " (give a name or a 0-based index)");
    }

    /** A UTF-8 reader, gunzipping when the content starts with the gzip magic; BOM skipped. */
    static BufferedReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "text file not found");
        }
        InputStream in = DataFiles.open(file);
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset();
            }
            return reader;
        } catch (IOException e) {
            in.close();
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String readLine(Path file, BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": read failed: " + e.getMessage(), e);
        }
    }

    private static void close(Path file, BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": close failed: " + e.getMessage(), e);
        }
    }
}
