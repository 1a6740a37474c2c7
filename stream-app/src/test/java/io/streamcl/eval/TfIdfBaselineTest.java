package io.streamcl.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.streamcl.ingest.BrownSplit;
import io.streamcl.ingest.BrownSplit.LabelledText;
import io.streamcl.ingest.TextFileReader;
import io.streamcl.ingest.TextFileReader.TextRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TfIdfBaselineTest {

    private static final List<String> SPORT = List.of(
            "The striker scored a late goal in the match.",
            "Our team won the football match on Sunday.",
            "The goalkeeper saved a penalty in the second half.",
            "Fans cheered as the team scored again.",
            "The coach praised the defence after the match.",
            "A late penalty decided the football final.");
    private static final List<String> COOKING = List.of(
            "Whisk the eggs and sugar, then fold in the flour.",
            "Bake the bread in a hot oven for forty minutes.",
            "Season the soup with salt and fresh pepper.",
            "Stir the sauce gently and add a little butter.",
            "Chop the onions and fry them in butter until soft.",
            "Knead the dough and let the bread rise in a warm place.");

    @Test
    void shouldClassifyTwoObviousTopicsPerfectly() {
        List<String> memory = new ArrayList<>(SPORT);
        memory.addAll(COOKING);
        int[] memoryLabels = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
        List<String> queries = List.of(
                "Who scored the goal in the football match?",
                "The team lost after a penalty.",
                "Add butter to the sauce and stir.",
                "Bake the dough in the oven.");
        int[] queryLabels = {0, 0, 1, 1};

        assertThat(TfIdfBaseline.knnAccuracy(memory, memoryLabels, queries, queryLabels, 3, 0.07)).isEqualTo(1.0);
        // with every memory text voting, the weights still favour the nearer topic
        assertThat(TfIdfBaseline.knnAccuracy(memory, memoryLabels, queries, queryLabels, 200, 0.07)).isEqualTo(1.0);
    }

    @Test
    void shouldWeighTermsBySmoothedIdfAndNormalise() {
        // N = 3; "a" in all three: idf = ln(4/4) + 1 = 1; "b" in one: ln(4/2) + 1; bigram "a b" in one
        TfIdfBaseline tfidf = TfIdfBaseline.fit(List.of("a b", "a", "a c"));
        assertThat(tfidf.vocabularySize()).isEqualTo(5); // a, b, "a b", c, "a c"
        assertThat(TfIdfBaseline.terms("A b, C!")).containsExactly("a", "b", "c", "a b", "b c");

        float[] v = tfidf.denseVector("a a b");
        double rare = Math.log(2) + 1;
        // tf(a) = 2, tf(b) = 1, "a a" and "a b": "a b" known, "a a" unseen and dropped
        double[] raw = {2 * 1.0, rare, rare};
        double norm = Math.sqrt(raw[0] * raw[0] + raw[1] * raw[1] + raw[2] * raw[2]);
        assertThat(v[0]).isCloseTo((float) (raw[0] / norm), offset(1e-6f));
        assertThat(v[1]).isCloseTo((float) (raw[1] / norm), offset(1e-6f));
        assertThat(v[2]).isCloseTo((float) (raw[2] / norm), offset(1e-6f));
        assertThat(v[3]).isZero();
        assertThat(tfidf.denseVector("zzz unseen")).containsOnly(0f);
    }

    @Test
    void shouldPredictLikeKnnClassifierOnDenseVectors() {
        Random rnd = new Random(3);
        String[] lexicon = new String[60];
        for (int i = 0; i < lexicon.length; i++) {
            lexicon[i] = "w" + i;
        }
        List<String> memory = new ArrayList<>();
        int[] labels = new int[300];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = 2 * rnd.nextInt(3); // 0, 2, 4: labels need not be consecutive
            memory.add(sentence(rnd, lexicon, labels[i]));
        }
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queries.add(i % 10 == 0 ? "nothing known here" : sentence(rnd, lexicon, 2 * rnd.nextInt(3)));
        }
        TfIdfBaseline tfidf = TfIdfBaseline.fit(memory);
        float[][] denseMemory = memory.stream().map(tfidf::denseVector).toArray(float[][]::new);
        float[][] denseQueries = queries.stream().map(tfidf::denseVector).toArray(float[][]::new);
        for (int k : new int[] {1, 5, 50, 400}) {
            for (double t : new double[] {0.07, 1}) {
                int[] expected = new KnnClassifier(k, t).predict(denseMemory, labels, denseQueries);
                assertThat(tfidf.predict(labels, queries, k, t)).as("k=%d, T=%s", k, t).containsExactly(expected);
            }
        }
    }

    /** Words drawn mostly from the label's third of the lexicon. */
    private static String sentence(Random rnd, String[] lexicon, int label) {
        StringBuilder sb = new StringBuilder();
        int third = lexicon.length / 3;
        for (int w = 0; w < 3 + rnd.nextInt(6); w++) {
            int i = rnd.nextDouble() < 0.6 ? (label / 2) * third + rnd.nextInt(third) : rnd.nextInt(lexicon.length);
            sb.append(lexicon[i]).append(' ');
        }
        return sb.toString();
    }

    @Test
    void shouldRejectBadArguments() {
        List<String> memory = List.of("a", "b");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(List.of(), new int[0], List.of("a"), new int[1], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("memoryTexts is empty");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(memory, new int[1], List.of("a"), new int[1], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("memoryLabels has length 1, expected 2");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(memory, new int[2], List.of("a"), new int[2], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("queryLabels has length 2, expected 1");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(memory, new int[] {0, -1}, List.of("a"), new int[1], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("memoryLabels[1] is negative: -1");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(memory, new int[2], List.of("a"), new int[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("k must be >= 1, got 0");
        assertThatThrownBy(() -> TfIdfBaseline.knnAccuracy(memory, new int[2], List.of("a"), new int[1], 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("temperature must be finite and > 0, got 0.0");
    }

    @Test
    void shouldScoreBrownGenresNearTheReferenceWithDocumentSplit() throws IOException {
        Path file = Path.of(System.getProperty("streamcl.repo.root", "."), "data/brown/brown-genre.tsv.gz");
        assertThat(Files.isRegularFile(file)).as("%s exists", file).isTrue();
        long start = System.nanoTime();
        List<String> bad = new ArrayList<>();
        List<TextRow> rows;
        try (Stream<TextRow> s = TextFileReader.tsv(file, "sentence", null, bad::add)) {
            rows = s.toList();
        }
        assertThat(bad).isEmpty();
        BrownSplit.Split split = BrownSplit.byDocument(rows, "fileid", "genre", 0.2, 42);
        List<LabelledText> train = sample(split.train(), 20_000, 1);
        List<LabelledText> test = sample(split.test(), 3_000, 2);
        List<String> genres = new ArrayList<>(new TreeSet<>(train.stream().map(LabelledText::label).toList()));

        double accuracy = TfIdfBaseline.knnAccuracy(
                train.stream().map(LabelledText::text).toList(), labels(train, genres),
                test.stream().map(LabelledText::text).toList(), labels(test, genres),
                KnnClassifier.DEFAULT_K, KnnClassifier.DEFAULT_TEMPERATURE);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("Brown genre, TF-IDF uni+bigram kNN (k=%d, T=%s), %d train / %d test sentences "
                        + "split by document, %d genres: accuracy %.3f in %.1f s%n", KnnClassifier.DEFAULT_K,
                KnnClassifier.DEFAULT_TEMPERATURE, train.size(), test.size(), genres.size(), accuracy, seconds);
        assertThat(accuracy).isBetween(0.20, 0.30);
    }

    /** n rows drawn without replacement by a seeded shuffle. */
    private static List<LabelledText> sample(List<LabelledText> rows, int n, long seed) {
        assertThat(rows.size()).isGreaterThanOrEqualTo(n);
        List<LabelledText> copy = new ArrayList<>(rows);
        Collections.shuffle(copy, new Random(new SplittableRandom(seed).nextLong()));
        return copy.subList(0, n);
    }

    private static int[] labels(List<LabelledText> rows, List<String> names) {
        // a genre only in test gets a label no memory item has: always wrong, as it should be
        return rows.stream().mapToInt(r -> {
            int i = Collections.binarySearch(names, r.label());
            return i >= 0 ? i : names.size();
        }).toArray();
    }
}
