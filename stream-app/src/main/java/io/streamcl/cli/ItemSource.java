package io.streamcl.cli;

import io.streamcl.kind.ItemFormat;
import io.streamcl.kind.KindDefinition;
import io.streamcl.kind.KindRegistry;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * Where raw items come from, for the commands that read them ({@code produce}, {@code embed}): a file in one of
 * the formats of the kind, or a kind's generator ({@code --synthetic}). The kinds and their formats are those of
 * the {@link KindRegistry}.
 */
final class ItemSource {
    private final KindRegistry kinds = KindRegistry.standard();

    @Option(names = "--kind", required = true, completionCandidates = KindChoices.Kinds.class,
            description = "kind of items: ${COMPLETION-CANDIDATES}")
    String kind;

    @Option(names = "--format", completionCandidates = KindChoices.Formats.class,
            description = "the format of --input, one that --kind reads: ${COMPLETION-CANDIDATES} (a format of another"
                    + " kind is refused with the kind's own)")
    String format;

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

    @Option(names = "--labels", paramLabel = "FILE|COLUMN", description = "each item's label, sent as its `label`"
            + " attribute (the dashboard colours its projection by it; nothing learns from it). idx: an IDX labels"
            + " file; tsv: the column holding it")
    String labels;

    /** Null when the options make sense together, else what is wrong. */
    String problem() {
        Optional<KindDefinition> definition = kinds.byName(kind);
        if (definition.isEmpty()) {
            return "unknown --kind " + kind + " (kinds: " + String.join(", ", kinds.names()) + ")";
        }
        Optional<ItemFormat> generator = generator(definition.get());
        if (synthetic) {
            if (generator.isEmpty()) {
                List<String> generating = kinds.all().stream().filter(k -> generator(k).isPresent())
                        .map(KindDefinition::name).toList();
                return "--synthetic makes " + kinds.all().stream().flatMap(k -> generator(k).stream())
                        .map(ItemFormat::description).distinct().collect(Collectors.joining(", "))
                        + ": use it with --kind " + String.join(" or ", generating);
            }
            if (format != null || input != null) {
                return "--synthetic takes no --format or --input";
            }
            return generator.get().problem().apply(options());
        }
        if (format == null || input == null) {
            return "give --format and --input" + (generator.isPresent() ? ", or --synthetic" : "");
        }
        if (!Files.exists(input)) {
            return "input not found: " + input;
        }
        if (items != null && !Files.exists(items)) {
            return "items file not found: " + items;
        }
        Optional<ItemFormat> chosen = fileFormat(definition.get());
        if (chosen.isEmpty()) {
            return "--format " + normalised(format) + " does not hold " + kind + " items (" + kind + ": "
                    + definition.get().formats().stream().filter(f -> !f.synthetic())
                            .map(f -> f.name() + " (" + f.description() + ")").collect(Collectors.joining(", ")) + ")";
        }
        String problem = chosen.get().problem().apply(options());
        if (problem != null) {
            return problem;
        }
        if (labels != null && chosen.get().labelsFrom() == null) {
            return "--labels goes with --format " + kinds.all().stream().flatMap(k -> k.formats().stream())
                    .filter(f -> f.labelsFrom() != null).map(f -> f.name() + " (" + f.labelsFrom() + ")")
                    .collect(Collectors.joining(" or "));
        }
        if (items != null && !chosen.get().takesItems()) {
            return "--items goes with --format " + kinds.all().stream().flatMap(k -> k.formats().stream())
                    .filter(ItemFormat::takesItems).map(ItemFormat::name).collect(Collectors.joining(" or "));
        }
        return null;
    }

    /**
     * The items, lazily where the format allows. Items that cannot be read (a broken image file, a blank sentence, a
     * malformed event row) are reported to {@code onSkip}. Close the stream to close the file.
     *
     * @throws IOException if the input cannot be opened
     */
    Stream<RawItem> items(Consumer<String> onSkip) throws IOException {
        KindDefinition definition = kinds.byName(kind).orElseThrow();
        ItemFormat chosen = (synthetic ? generator(definition) : fileFormat(definition)).orElseThrow();
        Stream<RawItem> all = chosen.reader().read(options(), onSkip);
        return limit < 0 ? all : all.limit(limit);
    }

    private ItemFormat.Options options() {
        return new ItemFormat.Options(input, items, idPrefix, textColumn, idColumn, labels, users, catalogue,
                eventsPerUser, seed);
    }

    private static Optional<ItemFormat> generator(KindDefinition kind) {
        return kind.formats().stream().filter(ItemFormat::synthetic).findFirst();
    }

    private Optional<ItemFormat> fileFormat(KindDefinition kind) {
        return kind.formats().stream().filter(f -> !f.synthetic() && f.name().equals(normalised(format))).findFirst();
    }

    /** As the docs write it: image-dir, whatever the case or underscores. */
    private static String normalised(String format) {
        return format.strip().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What was read, for messages: the input file, or "synthetic events". */
    String describe() {
        return synthetic ? "synthetic events" : input.toString();
    }
}
