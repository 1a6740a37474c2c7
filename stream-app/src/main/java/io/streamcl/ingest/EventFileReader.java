package io.streamcl.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * User events from CSV files: the MovieLens layout and a generic {@code user,item,timestamp[,weight]} one.
 *
 * <p>Files are UTF-8, gzip-compressed or not (told by the gzip magic bytes, not the name), with fields as
 * in RFC 4180 (a field may be quoted, with doubled quotes inside; a quoted field may not span lines).
 * Unquoted fields are trimmed. The first line is the header when it does not parse as a data row, so a
 * file without a header loses nothing. A row that does not parse, or that {@link EventDecoder} would
 * reject, is reported to {@code onBadRow} as {@code "<file>: line <n>: <reason>"} and skipped: one bad
 * row in a million should not stop a replay.
 *
 * <p>Files are read lazily; close the stream to close the file. MovieLens ratings come sorted by user,
 * not by time, and a contrastive learner over a stream must see events in the order they happened, so
 * replay through {@link #sortedByTime}.
 */
public final class EventFileReader {

    /** The event type of MovieLens rows; the rating is the weight. */
    public static final String RATING = "rating";
    /** The event type of rows of the generic layout. */
    public static final String INTERACTION = "interaction";
    /** The MovieLens genres value of a movie without genres; such a movie gets no "genres" attribute. */
    static final String NO_GENRES = "(no genres listed)";

    /**
     * Below this an integer timestamp is in seconds, at or above in milliseconds (10^11 s is the year
     * 5138, 10^11 ms is March 1973).
     */
    static final long SECONDS_LIMIT = 100_000_000_000L;

    /** One line of an event file: surrounding spaces are not part of a field, quoted or not. */
    private static final CSVFormat ONE_LINE = CsvSyntax.RFC4180.builder().setIgnoreSurroundingSpaces(true).get();
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+\\.\\d*");

    private EventFileReader() {}

    /**
     * MovieLens ratings ({@code ratings.csv}: {@code userId,movieId,rating,timestamp}, the timestamp in
     * epoch seconds), with the titles and genres of {@code movies.csv} ({@code movieId,title,genres},
     * genres '|'-separated) as item attributes {@code {"title": ..., "genres": ...}}. The event type is
     * {@value #RATING} and the weight the rating. Rows are in file order.
     *
     * @param moviesCsv null for no attributes; a movie missing from it gets none. Bad rows of this file are
     *     reported too, and for a repeated movieId the first row wins
     * @throws IOException if a file cannot be opened, or movies.csv cannot be read
     */
    public static Stream<EventRow> movieLens(Path ratingsCsv, Path moviesCsv, Consumer<String> onBadRow)
            throws IOException {
        Objects.requireNonNull(ratingsCsv, "ratingsCsv");
        Objects.requireNonNull(onBadRow, "onBadRow");
        Map<String, Map<String, String>> movies = moviesCsv == null ? Map.of() : readMovies(moviesCsv, onBadRow);
        Map<String, String> ids = new HashMap<>();
        return rows(ratingsCsv, onBadRow, fields -> {
            if (fields.size() != 4) {
                throw new IllegalArgumentException("expected 4 fields (userId,movieId,rating,timestamp), got "
                        + fields.size());
            }
            float rating = parseWeight(fields.get(2), "rating");
            long seconds = parseLong(fields.get(3), "timestamp");
            String itemId = shared(ids, fields.get(1));
            return row(shared(ids, fields.get(0)), itemId, RATING, Math.multiplyExact(seconds, 1000L), rating,
                    movies.getOrDefault(itemId, Map.of()));
        });
    }

    /**
     * The generic layout {@code user,item,timestamp[,weight]}: the event type is {@value #INTERACTION}, an
     * empty or missing weight is null. See {@link #parseTimestampMillis} for the timestamp formats. Rows
     * are in file order.
     *
     * @throws IOException if the file cannot be opened
     */
    public static Stream<EventRow> csv(Path file, Consumer<String> onBadRow) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(onBadRow, "onBadRow");
        Map<String, String> ids = new HashMap<>();
        return rows(file, onBadRow, fields -> {
            if (fields.size() != 3 && fields.size() != 4) {
                throw new IllegalArgumentException("expected 3 or 4 fields (user,item,timestamp[,weight]), got "
                        + fields.size());
            }
            long millis = parseTimestampMillis(fields.get(2));
            Float weight = fields.size() == 4 && !fields.get(3).isEmpty() ? parseWeight(fields.get(3), "weight") : null;
            return row(shared(ids, fields.get(0)), shared(ids, fields.get(1)), INTERACTION, millis, weight, Map.of());
        });
    }

    /**
     * All rows, sorted by timestamp; rows with equal timestamps keep their order (the sort is stable), so
     * a replay is the same every time. Closes the stream. Holds every row in memory.
     */
    public static List<EventRow> sortedByTime(Stream<EventRow> rows) {
        try (rows) {
            List<EventRow> list = new ArrayList<>(rows.toList());
            list.sort(Comparator.comparingLong(EventRow::timestampMillis));
            return list;
        }
    }

    /**
     * Epoch milliseconds from a timestamp field:
     * <ul>
     *   <li>an integer below 10^11 in size is epoch seconds, otherwise epoch milliseconds (so
     *       milliseconds before March 1973 would be read as seconds);</li>
     *   <li>a decimal number is read the same way, e.g. {@code 964982703.5} seconds;</li>
     *   <li>otherwise ISO-8601: {@code 2024-01-02T03:04:05Z}, with an offset ({@code +02:00}) or zone, or
     *       without one (then UTC); a space may stand for the 'T'; a date alone is its midnight, UTC.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if it is none of these
     */
    public static long parseTimestampMillis(String field) {
        String s = field.trim();
        if (INTEGER.matcher(s).matches()) {
            long v = parseLong(s, "timestamp");
            return Math.abs(v) < SECONDS_LIMIT ? v * 1000L : v;
        }
        if (DECIMAL.matcher(s).matches()) {
            double v = Double.parseDouble(s);
            double millis = Math.abs(v) < SECONDS_LIMIT ? v * 1000.0 : v;
            if (Math.abs(millis) > 9e15) {
                throw new IllegalArgumentException("timestamp out of range: " + field);
            }
            return Math.round(millis);
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            String iso = s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME
                    .parseBest(iso, ZonedDateTime::from, LocalDateTime::from);
            return t instanceof ZonedDateTime z
                    ? z.toInstant().toEpochMilli()
                    : ((LocalDateTime) t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("timestamp is not epoch seconds, epoch milliseconds or ISO-8601: "
                    + field);
        }
    }

    /** movieId -> {"title", "genres"}, one immutable map per movie. */
    private static Map<String, Map<String, String>> readMovies(Path moviesCsv, Consumer<String> onBadRow)
            throws IOException {
        Map<String, Map<String, String>> movies = new HashMap<>();
        try (Stream<Map.Entry<String, Map<String, String>>> rows = rows(moviesCsv, onBadRow, fields -> {
            if (fields.size() != 3) {
                throw new IllegalArgumentException("expected 3 fields (movieId,title,genres), got " + fields.size());
            }
            if (fields.get(0).isEmpty()) {
                throw new IllegalArgumentException("movieId is blank");
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("title", fields.get(1));
            if (!fields.get(2).isEmpty() && !fields.get(2).equals(NO_GENRES)) {
                attributes.put("genres", fields.get(2));
            }
            return Map.entry(fields.get(0), Map.copyOf(attributes));
        })) {
            rows.forEach(e -> movies.putIfAbsent(e.getKey(), e.getValue()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return movies;
    }

    /**
     * One String per distinct id, so the rows of a large file held for {@link #sortedByTime} share their
     * user and item ids instead of holding one copy per row. A user "7" and an item "7" share one too.
     */
    private static String shared(Map<String, String> ids, String id) {
        String s = ids.putIfAbsent(id, id);
        return s == null ? id : s;
    }

    private static EventRow row(String userId, String itemId, String eventType, long millis, Float weight,
                                Map<String, String> attributes) {
        String problem = EventDecoder.problem(userId, itemId, eventType, weight, attributes);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new EventRow(userId, itemId, eventType, millis, weight, attributes);
    }

    private static float parseWeight(String s, String name) {
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: '" + s + "'");
        }
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + s);
        }
        return v;
    }

    private static long parseLong(String s, String name) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not an integer: '" + s + "'");
        }
    }

    /** Parses one record's fields; throws IllegalArgumentException with the reason for a bad row. */
    @FunctionalInterface
    private interface RowParser<T> {
        T parse(List<String> fields);
    }

    private static <T> Stream<T> rows(Path file, Consumer<String> onBadRow, RowParser<T> parser) throws IOException {
        BufferedReader in = open(file);
        RowIterator<T> it = new RowIterator<>(in, file.toString(), parser, onBadRow);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .onClose(() -> {
                    try {
                        in.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** A UTF-8 reader of the file, through gunzip when it starts with the gzip magic bytes 1f 8b. */
    static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** Reads lines ahead until one parses; reports the others. */
    private static final class RowIterator<T> implements Iterator<T> {
        private final BufferedReader in;
        private final String source;
        private final RowParser<T> parser;
        private final Consumer<String> onBadRow;
        private int line;
        private boolean first = true;
        private T next;
        private boolean done;

        RowIterator(BufferedReader in, String source, RowParser<T> parser, Consumer<String> onBadRow) {
            this.in = in;
            this.source = source;
            this.parser = parser;
            this.onBadRow = onBadRow;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                String text;
                try {
                    text = in.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(source + ": line " + (line + 1) + ": " + e.getMessage(), e);
                }
                if (text == null) {
                    done = true;
                    break;
                }
                line++;
                if (line == 1 && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                boolean header = first;
                first = false;
                try {
                    next = parser.parse(splitCsv(text));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    if (!header) {
                        onBadRow.accept(source + ": line " + line + ": " + e.getMessage());
                    }
                }
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            T t = next;
            next = null;
            return t;
        }
    }

    /**
     * The fields of one CSV line (RFC 4180 quoting, on one line). Unquoted fields are trimmed; quoted
     * ones are kept as written. A line without a quote is split on its commas directly: most lines of
     * an event file are such, and a parser per line would cost more than the row.
     *
     * @throws IllegalArgumentException for a quote not closed on its line or text after a closing quote
     */
    static List<String> splitCsv(String text) {
        List<String> fields = new ArrayList<>();
        if (text.indexOf('"') < 0) {
            int start = 0;
            for (int comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', start)) {
                fields.add(text.substring(start, comma).trim());
                start = comma + 1;
            }
            fields.add(text.substring(start).trim());
            return fields;
        }
        try (CSVParser parser = CSVParser.parse(text, ONE_LINE)) {
            return parser.iterator().next().toList();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            throw new IllegalArgumentException(CsvSyntax.unclosedQuote(e) ? "quoted field is not closed on its line"
                    : CsvSyntax.reason(e), e);
        }
    }
}
