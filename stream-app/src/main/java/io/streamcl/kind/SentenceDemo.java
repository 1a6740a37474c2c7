package io.streamcl.kind;

import io.streamcl.config.Settings;
import io.streamcl.eval.EncoderComparison;
import io.streamcl.eval.EvalReport;
import io.streamcl.eval.TfIdfBaseline;
import io.streamcl.ingest.BrownSplit;
import io.streamcl.ingest.RawItems;
import io.streamcl.ingest.SentenceItems;
import io.streamcl.ingest.SentenceText;
import io.streamcl.ingest.TextFileReader;
import io.streamcl.learn.Embedder;
import io.streamcl.schema.ModelSnapshot;
import io.streamcl.schema.RawItem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Labelled sentences from a TSV (the Brown corpus with genres by default), split by document so
 * that no document is on both sides: training sentences are streamed, held-out ones are classified
 * by kNN against them with the learned encoder, the untrained one and a TF-IDF bag of words.
 */
public final class SentenceDemo implements DemoScenario {
    private static final int HELD_OUT = 3000;

    private final List<BrownSplit.LabelledText> train;
    private final List<BrownSplit.LabelledText> test;
    private final Path source;
    private final String labelColumn;
    private final long seed;
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final int[] trainLabels;
    private final int[] testLabels;

    /** The demo of the sentence kind: 20,000 sentences unless told otherwise. */
    static DemoScenario create(DemoScenario.Options o) throws IOException {
        return new SentenceDemo(o.sentences(), o.textColumn(), o.documentColumn(), o.labelColumn(), o.itemsOr(20_000),
                o.seed());
    }

    public SentenceDemo(Path tsv, String textColumn, String documentColumn, String labelColumn, int items, long seed)
            throws IOException {
        this.source = tsv;
        this.labelColumn = labelColumn;
        this.seed = seed;
        List<String> bad = new ArrayList<>();
        BrownSplit.Split split;
        try (Stream<TextFileReader.TextRow> rows = TextFileReader.tsv(tsv, textColumn, null, bad::add)) {
            split = BrownSplit.byDocument(rows.toList(), documentColumn, labelColumn, 0.2, seed);
        }
        if (!bad.isEmpty()) {
            System.err.printf("demo: %d malformed rows skipped, first: %s%n", bad.size(), bad.get(0));
        }
        this.train = sample(split.train(), items);
        this.test = sample(split.test(), HELD_OUT);
        this.trainLabels = labels(train, labelIds);
        this.testLabels = labels(test, labelIds);
    }

    /** The ids the training sentences are streamed under, in order. */
    public List<String> trainIds() {
        return train.stream().map(SentenceDemo::streamedId).toList();
    }

    /** The training sentences as the kind decodes them (its tokenizer), in order. */
    public List<List<String>> trainTokens(SentenceKind kind) {
        return tokens(train, kind);
    }

    public int[] trainLabels() {
        return trainLabels.clone();
    }

    public List<String> testIds() {
        return test.stream().map(BrownSplit.LabelledText::id).toList();
    }

    /** The held-out sentences, from documents none of the training ones come from, as the kind decodes them. */
    public List<List<String>> testTokens(SentenceKind kind) {
        return tokens(test, kind);
    }

    public int[] testLabels() {
        return testLabels.clone();
    }

    /** The baseline the learned encoder has to beat: kNN over TF-IDF uni+bigram vectors, as {@link #evaluate} scores it. */
    public double tfIdfKnn() {
        return TfIdfBaseline.knnAccuracy(texts(train), trainLabels, texts(test), testLabels, 200, 0.07);
    }

    /** Where the sentences come from, for reports. */
    public String source() {
        return source.toString();
    }

    @Override
    public String kind() {
        return SentenceKind.NAME;
    }

    @Override
    public String describe() {
        return String.format("%d training sentences streamed, %d held out from other documents (%s)", train.size(),
                test.size(), source);
    }

    @Override
    public Map<String, String> settingDefaults() {
        return Map.of();
    }

    @Override
    public List<RawItem> trainingItems() {
        List<RawItem> items = new ArrayList<>(train.size());
        for (BrownSplit.LabelledText t : train) {
            // the genre rides along for the dashboard's projection; nothing learns from it
            items.add(SentenceItems.rawItem(streamedId(t), System.currentTimeMillis(), t.text(),
                    Map.of(RawItems.LABEL_ATTRIBUTE, t.label())));
        }
        return items;
    }

    /** The id a training sentence is streamed (and published) under. */
    private static String streamedId(BrownSplit.LabelledText t) {
        return "s-" + t.id();
    }

    @Override
    public String feedKind() {
        return "sentence";
    }

    @Override
    public int feedIds() {
        return train.size();
    }

    @Override
    public EvalReport evaluate(Settings settings, ModelSnapshot untrained, ModelSnapshot trained,
            Map<String, float[]> feed, Function<ModelSnapshot, Embedder> encoders) {
        SentenceKind kind = new SentenceKind(settings.forKind(SentenceKind.NAME)); // as its trainer has it
        // the held-out sentences go through the tokenizer the feed's were decoded with
        EncoderComparison<List<String>> cmp = new EncoderComparison<>(kind, tokens(train, kind), trainLabels,
                tokens(test, kind), testLabels, testIds(), seed + 1, 200);
        EvalReport report = new EvalReport(String.format("kNN %s accuracy (k=200, cosine, weighted) on %d held-out"
                + " sentences; memory: %d streamed sentences; %d classes", labelColumn, test.size(), train.size(),
                labelIds.size()),
                List.of(EncoderComparison.KNN_CLEAN, EncoderComparison.KNN_AUGMENTED, EncoderComparison.UNIFORMITY));
        try (Embedder e = encoders.apply(trained)) {
            report.addRow("embeddings topic (the feed, v" + trained.getVersion() + ")", cmp.feed(
                    train.stream().map(t -> feed.get(streamedId(t))).toArray(float[][]::new), e));
        }
        report.addRow("learned (" + trained.getName() + " v" + trained.getVersion() + ", step " + trained.getStep()
                + ")", withEncoder(encoders.apply(trained), cmp));
        report.addRow("untrained encoder (v" + untrained.getVersion() + ")", withEncoder(encoders.apply(untrained), cmp));
        report.addRow("TF-IDF uni+bigrams", Map.of(EncoderComparison.KNN_CLEAN, tfIdfKnn()));
        return report;
    }

    private static Map<String, Double> withEncoder(Embedder encoder, EncoderComparison<List<String>> cmp) {
        try (Embedder e = encoder) {
            return cmp.encoder(e);
        }
    }

    private List<BrownSplit.LabelledText> sample(List<BrownSplit.LabelledText> all, int n) {
        List<BrownSplit.LabelledText> copy = new ArrayList<>(all);
        copy.removeIf(t -> SentenceText.words(t.text()).isEmpty()); // they would go to the dead-letter topic
        Collections.shuffle(copy, new Random(seed));
        return copy.subList(0, Math.min(n, copy.size()));
    }

    private static List<List<String>> tokens(List<BrownSplit.LabelledText> texts, SentenceKind kind) {
        return texts.stream().map(t -> kind.tokens(t.text())).toList();
    }

    private static List<String> texts(List<BrownSplit.LabelledText> texts) {
        return texts.stream().map(BrownSplit.LabelledText::text).toList();
    }

    private static int[] labels(List<BrownSplit.LabelledText> texts, Map<String, Integer> ids) {
        int[] out = new int[texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.computeIfAbsent(texts.get(i).label(), k -> ids.size());
        }
        return out;
    }
}
