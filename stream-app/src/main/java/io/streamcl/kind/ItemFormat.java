package io.streamcl.kind;

import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One way to get raw items of a kind, for the commands that read them ({@code produce}, {@code embed}): a file
 * format, or a generator that needs no file. A kind lists its own; the commands offer what the kinds list.
 *
 * @param name        as {@code --format} spells it ({@code image-dir}); a generator's is {@link #SYNTHETIC}
 * @param description a few words for messages ("a folder of PNG/JPEG files")
 * @param takesItems  whether it reads a second file, {@code --items} (movielens: movies.csv)
 * @param labelsFrom  what {@code --labels} names for it (idx: "an IDX labels file"), each item's label then
 *                    riding along as its {@code label} attribute (the dashboard colours by it); null: it takes none
 * @param reader      the items; each one that cannot be read is reported to the consumer and left out
 * @param problem     what is wrong with the options for this format, or null
 */
public record ItemFormat(String name, String description, boolean takesItems, String labelsFrom, Reader reader,
        Function<Options, String> problem) {

    /** The name of a kind's generator, which reads no file ({@code produce --synthetic}). */
    public static final String SYNTHETIC = "synthetic";

    /** Reads the items lazily where the format allows; closing the stream closes the file. */
    @FunctionalInterface
    public interface Reader {
        Stream<RawItem> read(Options options, Consumer<String> onSkip) throws IOException;
    }

    /**
     * Everything the commands may be told about where items come from; each format reads what it needs. Ids are
     * {@code <idPrefix><index>}, so the same file read twice gives the same ids.
     *
     * @param input         the file (null for a generator)
     * @param items         a second file some formats take (movielens: movies.csv), or null
     * @param textColumn    tsv: the column holding the text, or null
     * @param idColumn      tsv: a column holding item ids, or null
 * @param labels        where each item's label is, as the format's {@link #labelsFrom} says, or null
     * @param users         a generator's users
     * @param catalogue     a generator's items
     * @param eventsPerUser a generator's events per user
     * @param seed          a generator's seed
     */
    public record Options(Path input, Path items, String idPrefix, String textColumn, String idColumn, String labels,
            int users, int catalogue, int eventsPerUser, long seed) {}

    /** A format whose every combination of options is fine. */
    public static ItemFormat of(String name, String description, Reader reader) {
        return new ItemFormat(name, description, false, null, reader, options -> null);
    }

    /** The same with labels from where {@code --labels} says ({@link #labelsFrom}). */
    public ItemFormat withLabelsFrom(String what) {
        return new ItemFormat(name, description, takesItems, what, reader, problem);
    }

    /** Whether it is a generator: it reads no file. */
    public boolean synthetic() {
        return SYNTHETIC.equals(name);
    }
}
