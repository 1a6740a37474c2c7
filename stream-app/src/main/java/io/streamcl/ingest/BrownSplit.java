package io.streamcl.ingest;

import io.streamcl.ingest.TextFileReader.TextRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Splits labelled sentences into train and test sets by document: every sentence of a document falls on
 * the same side. Sentences of one document share names, topic and style, so a sentence-level split lets a
 * nearest-neighbour classifier find the query's own document in memory and overstates accuracy.
 *
 * <p>Named after the Brown corpus it was written for, but it assumes nothing about it: the document and
 * label columns are parameters, and any number of documents and labels works.
 *
 * <p>The document ids are sorted, shuffled by Fisher-Yates with a {@link SplittableRandom} of the seed,
 * and the first round(testFraction x documents) of them (at least 1, at most all but 1) go to test. So
 * the split depends only on the set of document ids and the seed, not on the order of the rows; within
 * each side rows keep their input order.
 */
public final class BrownSplit {

    /**
     * A sentence with its label.
     *
     * @param id the row's id, or its index in decimal when it has none
     */
    public record LabelledText(String id, String text, String label) {
        public LabelledText {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(label, "label");
        }
    }

    /** The two sides; no document has sentences in both. */
    public record Split(List<LabelledText> train, List<LabelledText> test) {
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    private BrownSplit() {}

    /**
     * @param rows sentences, e.g. from {@link TextFileReader#tsv} with no id column or an id column other
     *     than these two
     * @param documentColumn the {@link TextRow#otherColumns()} entry naming each row's document, e.g. "fileid"
     * @param labelColumn the entry holding each row's label, e.g. "genre"
     * @param testFraction fraction of the documents held out, in (0, 1)
     * @param seed the shuffle's seed
     * @throws IllegalArgumentException when a row lacks either column, there are fewer than 2 documents, or
     *     testFraction is out of range
     */
    public static Split byDocument(List<TextRow> rows, String documentColumn, String labelColumn,
                                   double testFraction, long seed) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(documentColumn, "documentColumn");
        Objects.requireNonNull(labelColumn, "labelColumn");
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        TreeSet<String> documents = new TreeSet<>();
        for (TextRow row : rows) {
            documents.add(column(row, documentColumn));
            column(row, labelColumn);
        }
        if (documents.size() < 2) {
            throw new IllegalArgumentException("need at least 2 documents to split, got " + documents.size());
        }
        String[] shuffled = documents.toArray(new String[0]);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            String t = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = t;
        }
        int testDocuments = (int) Math.round(testFraction * shuffled.length);
        testDocuments = Math.max(1, Math.min(shuffled.length - 1, testDocuments));
        Set<String> test = new HashSet<>(List.of(shuffled).subList(0, testDocuments));

        List<LabelledText> trainRows = new ArrayList<>();
        List<LabelledText> testRows = new ArrayList<>();
        for (TextRow row : rows) {
            String id = row.id() != null ? row.id() : Long.toString(row.index());
            LabelledText t = new LabelledText(id, row.text(), row.otherColumns().get(labelColumn));
            (test.contains(row.otherColumns().get(documentColumn)) ? testRows : trainRows).add(t);
        }
        return new Split(trainRows, testRows);
    }

    private static String column(TextRow row, String name) {
        String v = row.otherColumns().get(name);
        if (v == null) {
            throw new IllegalArgumentException("row " + row.index() + " has no column \"" + name + "\" (it has "
                    + row.otherColumns().keySet() + ")");
        }
        return v;
    }
}
