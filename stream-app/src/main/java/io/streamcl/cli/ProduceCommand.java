package io.streamcl.cli;

import io.streamcl.ingest.EventFileReader;
import io.streamcl.ingest.EventItems;
import io.streamcl.ingest.EventRow;
import io.streamcl.ingest.IdxFile;
import io.streamcl.ingest.SyntheticEvents;
import io.streamcl.ingest.ImageDirReader;
import io.streamcl.ingest.InvalidItemException;
import io.streamcl.ingest.RawItemProducer;
import io.streamcl.ingest.RawItems;
import io.streamcl.schema.ImageItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.streamcl.ingest.SentenceItems;
import io.streamcl.ingest.TextFileReader;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Loads a file of raw items and produces them to raw-items. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Produce raw items from a file to the raw-items topic (ids are <id-prefix><index>, index from 0).",
                "Events are replayed in time order, ids <id-prefix><user>:<timestamp ms>:<index>, each user's on one"
                        + " partition."})
public final class ProduceCommand implements Callable<Integer> {
    enum Kind { image, sentence, event }

    enum Format { idx, image_dir, tsv, lines, movielens, csv }

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "raw-items", description = "default: ${DEFAULT-VALUE}")
    String topic;

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

    @Option(names = "--limit", defaultValue = "-1", description = "produce at most N items (default: all)")
    int limit;

    @Option(names = "--text-column", description = "tsv: the column holding the sentence (name or 0-based index)")
    String textColumn;

    @Option(names = "--id-column", description = "tsv: a column holding item ids (default: <id-prefix><index>)")
    String idColumn;

    @Override
    public Integer call() {
        String problem = problemWithOptions();
        if (problem != null) {
            System.err.println(problem);
            return 2;
        }
        String missing = missingTopic();
        if (missing != null) {
            System.err.println(missing);
            return 2;
        }
        boolean imageFormat = format == Format.idx || format == Format.image_dir;
        long start = System.nanoTime();
        long rejected = 0;
        long sent = 0;
        try (RawItemProducer producer = new RawItemProducer(bootstrapServers, topic)) {
            if (kind == Kind.event) {
                long[] counts = produceEvents(producer);
                if (counts == null) {
                    return 1;
                }
                sent = counts[0];
                rejected = counts[1];
            } else if (!imageFormat) {
                long[] counts = produceSentences(producer);
                sent = counts[0];
                rejected = counts[1];
            } else if (format == Format.idx) {
                io.streamcl.ingest.IdxImages images;
                try {
                    images = IdxFile.readImages(input);
                } catch (IOException e) {
                    System.err.println("cannot read " + input + ": " + e.getMessage());
                    return 1;
                }
                int n = limit < 0 ? images.count() : Math.min(limit, images.count());
                for (int i = 0; i < n; i++) {
                    ImageItem image = RawItems.rawU8(images.cols(), images.rows(), 1, images.image(i));
                    producer.send(RawItems.image(idPrefix + i, System.currentTimeMillis(), image));
                    sent++;
                }
            } else {
                List<ImageDirReader.ImageFile> files;
                try {
                    files = ImageDirReader.list(input);
                } catch (IOException e) {
                    System.err.println("cannot list " + input + ": " + e.getMessage());
                    return 1;
                }
                int n = limit < 0 ? files.size() : Math.min(limit, files.size());
                for (int i = 0; i < n; i++) {
                    try {
                        ImageItem image = ImageDirReader.read(files.get(i));
                        producer.send(RawItems.image(idPrefix + i, System.currentTimeMillis(), image));
                        sent++;
                    } catch (InvalidItemException e) {
                        rejected++;
                        System.err.println("skipped " + files.get(i).path() + ": " + e.getMessage());
                    }
                }
            }
            producer.flush();
            System.out.printf("produced %d %s items to %s (%d acknowledged, %d failed, %d skipped) in %.1f s%n",
                    sent, kind, topic, producer.acked(), producer.failed(), rejected, (System.nanoTime() - start) / 1e9);
            if (producer.failed() > 0) {
                System.err.println("first send error: " + producer.firstError());
                return 1;
            }
        }
        return 0;
    }

    /** Null when the options make sense together, else what is wrong. */
    private String problemWithOptions() {
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
     * Replays events in time order (a file is read whole and sorted first), ids {@code
     * <user>:<timestamp>:<index>}.
     *
     * @return sent and skipped counts, or null when the input cannot be read
     */
    private long[] produceEvents(RawItemProducer producer) {
        long[] skipped = {0};
        List<EventRow> rows;
        try {
            if (synthetic) {
                rows = SyntheticEvents.builder().users(users).items(catalogue).eventsPerUser(eventsPerUser).seed(seed)
                        .build().generate();
            } else {
                java.util.function.Consumer<String> onBad = bad -> {
                    skipped[0]++;
                    System.err.println("skipped " + bad);
                };
                rows = EventFileReader.sortedByTime(format == Format.movielens
                        ? EventFileReader.movieLens(input, items, onBad)
                        : EventFileReader.csv(input, onBad));
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot read " + (input == null ? "events" : input) + ": " + e.getMessage());
            return null;
        }
        long n = limit < 0 ? rows.size() : Math.min(limit, rows.size());
        for (int i = 0; i < n; i++) {
            EventRow row = rows.get(i);
            producer.send(EventItems.rawItem(idPrefix + EventItems.eventId(row, i), row));
        }
        return new long[] {n, skipped[0]};
    }

    /** @return sent and skipped counts */
    private long[] produceSentences(RawItemProducer producer) {
        long sent = 0;
        long skipped = 0;
        try (Stream<TextFileReader.TextRow> rows = format == Format.tsv
                ? TextFileReader.tsv(input, textColumn, idColumn, bad -> System.err.println("skipped " + bad))
                : TextFileReader.lines(input)) {
            Iterator<TextFileReader.TextRow> it = rows.iterator();
            while (it.hasNext() && (limit < 0 || sent < limit)) {
                TextFileReader.TextRow row = it.next();
                if (row.text().isBlank()) {
                    skipped++;
                    continue;
                }
                String id = row.id() != null ? row.id() : idPrefix + row.index();
                producer.send(SentenceItems.rawItem(id, System.currentTimeMillis(), row.text(), Map.of()));
                sent++;
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot read " + input + ": " + e.getMessage());
        }
        return new long[] {sent, skipped};
    }

    /** Null when the topic exists, else what to do about it (the broker does not auto-create topics). */
    private String missingTopic() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return null;
            }
            return "topic " + topic + " does not exist on " + bootstrapServers
                    + ": start the learner first (`run` creates its topics)";
        } catch (Exception e) {
            return "no Kafka broker answered at " + bootstrapServers + ": " + e;
        }
    }

    /** Accepts image-dir as written in the docs. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return Format.valueOf(value.strip().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
        }
    }
}
