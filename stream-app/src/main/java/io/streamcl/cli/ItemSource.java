package io.streamcl.cli;

import io.streamcl.ingest.EventFileReader;
import io.streamcl.ingest.EventItems;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.IdxImages;
import io.streamcl.ingest.ImageDirReader;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.RawItems;
import io.streamcl.ingest.SentenceItems;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.ingest.TextFileReader;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Where raw items come from, for the commands that read them ({@code produce}, {@code embed}): a file of
 * images, sentences or user events in one of the formats below, or synthetic events. Ids are {@code
 * <id-prefix><index>} (events: {@code <id-prefix><user>:<timestamp ms>:<index>}, replayed in time order),
 * so the same file read twice gives the same ids.
 */
final class ItemSource {
    enum Kind { image, sentence, event }

    enum Format { idx, image_dir, tsv, lines, movielens, csv }

    @Option(names = "--kind", required = true, description = "kind of items: ${COMPLETION-CANDIDATES}")
    Kind kind;

    @Option(names = "--format", converter = FormatConverter.class,
            description = "images: idx (IDX file, gz or not) or image-dir (a folder of PNG/JPEG files);"
                    + " sentences: tsv (with a header; see --text-column) or lines (one sentence per line);"
                    + " events: movielens (ratings.csv; see --items) or csv (user,item,timestamp[,weight])")
    Format format;

    @Option(names = "--input", paramLabel = "FILE")
    Path input;

    @Option(names = "--items", paramLabel = "FILE",
            description = "movielens: movies.csv (movieId,title,genres), whose title and genres become item attributes")
    Path items;

    @Option(names = "--synthetic", description = "events: generate users with planted tastes over item clusters"
            + " (seeded) instead of reading a file")
    boolean synthetic;

    @Option(names = "--users", defaultValue = "500", description = "--synthetic: users (default: ${DEFAULT-VALUE})")
    int users;

    @Option(names = "--catalogue", defaultValue = "1000", description = "--synthetic: items (default: ${DEFAULT-VALUE})")
    int catalogue;

    @Option(names = "--events-per-user", defaultValue = "30",
            description = "--synthetic: events per user (default: ${DEFAULT-VALUE})")
    int eventsPerUser;

    @Option(names = "--seed", defaultValue = "42", description = "--synthetic: seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--id-prefix", defaultValue = "", description = "prefix of item ids (default: none)")
    String idPrefix;

    @Option(names = "--limit", defaultValue = "-1", description = "at most N items (default: all)")
    int limit;

    @Option(names = "--text-column", description = "tsv: the column holding the sentence (name or 0-based index)")
    String textColumn;

    @Option(names = "--id-column", description = "tsv: a column holding item ids (default: <id-prefix><index>)")
    String idColumn;

    /** Null when the options make sense together, else what is wrong. */
    String problem() {
        if (synthetic) {
            if (kind != Kind.event) {
                return "--synthetic makes user events: use it with --kind event";
            }
            if (format != null || input != null) {
                return "--synthetic takes no --format or --input";
            }
            if (users < 1 || catalogue < 1 || eventsPerUser < 1) {
                return "--users, --catalogue and --events-per-user must be >= 1";
            }
            return null;
        }
        if (format == null || input == null) {
            return "give --format and --input" + (kind == Kind.event ? ", or --synthetic" : "");
        }
        if (!Files.exists(input)) {
            return "input not found: " + input;
        }
        if (items != null && !Files.exists(items)) {
            return "items file not found: " + items;
        }
        List<Format> formats = switch (kind) {
            case image -> List.of(Format.idx, Format.image_dir);
            case sentence -> List.of(Format.tsv, Format.lines);
            case event -> List.of(Format.movielens, Format.csv);
        };
        if (!formats.contains(format)) {
            return "--format " + format.name().replace('_', '-') + " does not hold " + kind + " items";
        }
        if (format == Format.tsv && textColumn == null) {
            return "--format tsv needs --text-column";
        }
        if (items != null && format != Format.movielens) {
            return "--items goes with --format movielens";
        }
        return null;
    }

    /**
     * The items, lazily where the format allows (events are sorted by time, so read whole). Items that cannot
     * be read (a broken image file, a blank sentence, a malformed event row) are reported to {@code onSkip}.
     * Close the stream to close the file.
     *
     * @throws IOException if the input cannot be opened
     */
    Stream<RawItem> items(Consumer<String> onSkip) throws IOException {
        Stream<RawItem> all = switch (kind) {
            case image -> format == Format.idx ? idxImages() : imageDir(onSkip);
            case sentence -> sentences(onSkip);
            case event -> events(onSkip);
        };
        return limit < 0 ? all : all.limit(limit);
    }

    private Stream<RawItem> idxImages() throws IOException {
        IdxImages images = IdxFile.readImages(input);
        long now = System.currentTimeMillis();
        return IntStream.range(0, images.count()).mapToObj(i -> RawItems.image(idPrefix + i, now,
                RawItems.rawU8(images.cols(), images.rows(), 1, images.image(i))));
    }

    private Stream<RawItem> imageDir(Consumer<String> onSkip) throws IOException {
        List<ImageDirReader.ImageFile> files = ImageDirReader.list(input);
        long now = System.currentTimeMillis();
        return IntStream.range(0, files.size()).mapToObj(i -> {
            try {
                return RawItems.image(idPrefix + i, now, ImageDirReader.read(files.get(i)));
            } catch (InvalidItemException e) {
                onSkip.accept(files.get(i).path() + ": " + e.getMessage());
                return null;
            }
        }).filter(java.util.Objects::nonNull);
    }

    private Stream<RawItem> sentences(Consumer<String> onSkip) throws IOException {
        Stream<TextFileReader.TextRow> rows = format == Format.tsv
                ? TextFileReader.tsv(input, textColumn, idColumn, onSkip)
                : TextFileReader.lines(input);
        long now = System.currentTimeMillis();
        return rows.filter(row -> {
            if (row.text().isBlank()) {
                onSkip.accept("row " + row.index() + ": blank sentence");
                return false;
            }
            return true;
        }).map(row -> SentenceItems.rawItem(row.id() != null ? row.id() : idPrefix + row.index(), now, row.text(),
                Map.of()));
    }

    private Stream<RawItem> events(Consumer<String> onSkip) throws IOException {
        List<EventRow> rows = synthetic
                ? SyntheticEvents.builder().users(users).items(catalogue).eventsPerUser(eventsPerUser).seed(seed).build()
                        .generate()
                : EventFileReader.sortedByTime(format == Format.movielens
                        ? EventFileReader.movieLens(input, items, onSkip)
                        : EventFileReader.csv(input, onSkip));
        return IntStream.range(0, rows.size())
                .mapToObj(i -> EventItems.rawItem(idPrefix + EventItems.eventId(rows.get(i), i), rows.get(i)));
    }

    /** What was read, for messages: the input file, or "synthetic events". */
    String describe() {
        return synthetic ? "synthetic events" : input.toString();
    }

    /** Accepts image-dir as written in the docs. */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return Format.valueOf(value.strip().toLowerCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
