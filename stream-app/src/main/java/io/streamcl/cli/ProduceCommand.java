package io.streamcl.cli;

import io.streamcl.ingest.IdxFile;
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
        description = "Produce raw items from a file to the raw-items topic (ids are <id-prefix><index>, index from 0).")
public final class ProduceCommand implements Callable<Integer> {
    enum Kind { image, sentence }

    enum Format { idx, image_dir, tsv, lines }

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "raw-items", description = "default: ${DEFAULT-VALUE}")
    String topic;

    @Option(names = "--kind", required = true, description = "kind of items: ${COMPLETION-CANDIDATES}")
    Kind kind;

    @Option(names = "--format", required = true, converter = FormatConverter.class,
            description = "images: idx (IDX file, gz or not) or image-dir (a folder of PNG/JPEG files);"
                    + " sentences: tsv (with a header; see --text-column) or lines (one sentence per line)")
    Format format;

    @Option(names = "--input", required = true, paramLabel = "FILE")
    Path input;

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
        if (!Files.exists(input)) {
            System.err.println("input not found: " + input);
            return 2;
        }
        String missing = missingTopic();
        if (missing != null) {
            System.err.println(missing);
            return 2;
        }
        boolean imageFormat = format == Format.idx || format == Format.image_dir;
        if (imageFormat != (kind == Kind.image)) {
            System.err.println("--format " + format.name().replace('_', '-') + " does not hold " + kind + " items");
            return 2;
        }
        if (format == Format.tsv && textColumn == null) {
            System.err.println("--format tsv needs --text-column");
            return 2;
        }
        long start = System.nanoTime();
        long rejected = 0;
        long sent = 0;
        try (RawItemProducer producer = new RawItemProducer(bootstrapServers, topic)) {
            if (!imageFormat) {
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
