package io.streamcl.eval;

import io.streamcl.ingest.SentenceText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The bag-of-words baseline a sentence encoder has to beat: TF-IDF vectors compared by cosine, classified
 * by the same weighted kNN vote as {@link KnnClassifier}.
 *
 * <p>The terms of a text are its words ({@link SentenceText#words}) and each pair of neighbouring words.
 * Fitted on the memory texts (N of them), a term's weight in a text is tf x idf, tf its count in the
 * text and idf = ln((1 + N) / (1 + df)) + 1, df the number of memory texts holding it (the smoothed idf
 * of scikit-learn's TfidfVectorizer); each vector is then L2-normalised. Terms never seen in memory are
 * dropped, so a query made only of them has the zero vector and every similarity 0.
 *
 * <p>Vectors are sparse, and similarities come from an inverted index: a query only visits the memory
 * texts sharing a term with it, so 20k memory x 3k query sentences take a few seconds on 2 cores, where
 * dense vectors over a vocabulary of some 200k terms would not fit in memory. The k neighbours, their
 * order (by similarity, then lower memory index, memory texts sharing no term counting as similarity 0)
 * and the vote (weights exp((s_i - s_max) / T), largest total wins, ties to the smaller label) are those
 * of {@link KnnClassifier} ({@link ClassIndex#vote}), over a sparse search of its own.
 *
 * <p>Immutable once fitted; queries run in parallel blocks and the result does not depend on the number
 * of threads.
 */
public final class TfIdfBaseline {

    static final int BLOCK = 64;

    private final Map<String, Integer> vocabulary;
    /** [terms] */
    private final float[] idf;
    private final int memorySize;
    /** CSR postings: memory texts holding term t are postingDoc[postingStart[t] .. postingStart[t + 1]). */
    private final int[] postingStart;
    private final int[] postingDoc;
    private final float[] postingWeight;

    private TfIdfBaseline(Map<String, Integer> vocabulary, float[] idf, int memorySize,
                          int[] postingStart, int[] postingDoc, float[] postingWeight) {
        this.vocabulary = vocabulary;
        this.idf = idf;
        this.memorySize = memorySize;
        this.postingStart = postingStart;
        this.postingDoc = postingDoc;
        this.postingWeight = postingWeight;
    }

    /** A sparse vector: strictly increasing term ids and their weights. */
    record Sparse(int[] terms, float[] values) {}

    /**
     * Fits the vocabulary and idf on the memory texts and indexes their vectors.
     *
     * @param memoryTexts the labelled texts queries are compared with, at least one
     */
    public static TfIdfBaseline fit(List<String> memoryTexts) {
        Objects.requireNonNull(memoryTexts, "memoryTexts");
        if (memoryTexts.isEmpty()) {
            throw new IllegalArgumentException("memoryTexts is empty");
        }
        int n = memoryTexts.size();
        List<List<String>> terms = IntStream.range(0, n).parallel()
                .mapToObj(i -> terms(memoryTexts.get(i))).toList();

        Map<String, Integer> vocabulary = new HashMap<>();
        int[][] ids = new int[n][];
        int[] df = new int[16];
        for (int d = 0; d < n; d++) {
            List<String> ts = terms.get(d);
            int[] row = new int[ts.size()];
            for (int i = 0; i < row.length; i++) {
                Integer id = vocabulary.get(ts.get(i));
                if (id == null) {
                    id = vocabulary.size();
                    vocabulary.put(ts.get(i), id);
                }
                row[i] = id;
            }
            Arrays.sort(row);
            for (int i = 0; i < row.length; i++) {
                if (i == 0 || row[i] != row[i - 1]) {
                    if (row[i] >= df.length) {
                        df = Arrays.copyOf(df, Math.max(row[i] + 1, 2 * df.length));
                    }
                    df[row[i]]++;
                }
            }
            ids[d] = row;
        }
        int vocab = vocabulary.size();
        float[] idf = new float[vocab];
        for (int t = 0; t < vocab; t++) {
            idf[t] = (float) (Math.log((1.0 + n) / (1.0 + df[t])) + 1);
        }

        Sparse[] vectors = new Sparse[n];
        IntStream.range(0, n).parallel().forEach(d -> vectors[d] = weigh(ids[d], idf));
        int[] postingStart = new int[vocab + 1];
        for (Sparse v : vectors) {
            for (int t : v.terms()) {
                postingStart[t + 1]++;
            }
        }
        for (int t = 0; t < vocab; t++) {
            postingStart[t + 1] += postingStart[t];
        }
        int[] fill = Arrays.copyOf(postingStart, vocab);
        int[] postingDoc = new int[postingStart[vocab]];
        float[] postingWeight = new float[postingStart[vocab]];
        for (int d = 0; d < n; d++) {
            Sparse v = vectors[d];
            for (int i = 0; i < v.terms().length; i++) {
                int p = fill[v.terms()[i]]++;
                postingDoc[p] = d;
                postingWeight[p] = v.values()[i];
            }
        }
        return new TfIdfBaseline(vocabulary, idf, n, postingStart, postingDoc, postingWeight);
    }

    /**
     * Fits on the memory texts and returns the top-1 accuracy of the weighted kNN vote on the queries.
     *
     * @param memoryLabels [memoryTexts.size()] labels, >= 0
     * @param queryTexts at least one
     * @param queryLabels [queryTexts.size()]
     * @param k neighbours that vote, >= 1 (all memory texts if more)
     * @param temperature T in exp(s / T), finite and > 0
     * @return the fraction of queries whose predicted label is their own, in [0, 1]
     */
    public static double knnAccuracy(List<String> memoryTexts, int[] memoryLabels, List<String> queryTexts,
                                     int[] queryLabels, int k, double temperature) {
        Objects.requireNonNull(queryTexts, "queryTexts");
        if (queryTexts.isEmpty()) {
            throw new IllegalArgumentException("queryTexts is empty");
        }
        if (queryLabels == null || queryLabels.length != queryTexts.size()) {
            throw new IllegalArgumentException("queryLabels has length "
                    + (queryLabels == null ? "null" : queryLabels.length) + ", expected " + queryTexts.size());
        }
        return ClassIndex.accuracy(fit(memoryTexts).predict(memoryLabels, queryTexts, k, temperature), queryLabels);
    }

    /** Memory texts fitted. */
    public int memorySize() {
        return memorySize;
    }

    /** Distinct unigrams and bigrams of the memory texts. */
    public int vocabularySize() {
        return idf.length;
    }

    /**
     * The weighted kNN prediction of every query.
     *
     * @param memoryLabels [memorySize()] labels of the fitted memory texts, >= 0
     * @param k neighbours that vote, >= 1 (all memory texts if more)
     * @param temperature T in exp(s / T), finite and > 0
     * @return [queryTexts.size()] predicted labels
     */
    public int[] predict(int[] memoryLabels, List<String> queryTexts, int k, double temperature) {
        new KnnClassifier(k, temperature); // same checks and messages
        Objects.requireNonNull(queryTexts, "queryTexts");
        ClassIndex classes = ClassIndex.of(memoryLabels, memorySize, "memoryLabels");
        int kk = Math.min(k, memorySize);
        int nq = queryTexts.size();
        int[] predictions = new int[nq];
        int blocks = (nq + BLOCK - 1) / BLOCK;
        IntStream.range(0, blocks).parallel().forEach(b -> {
            float[] scores = new float[memorySize];
            int[] touched = new int[memorySize];
            long[] heap = new long[kk];
            int[] neighbours = new int[kk];
            float[] sims = new float[kk];
            double[] votes = new double[classes.size()];
            for (int q = b * BLOCK; q < Math.min(nq, (b + 1) * BLOCK); q++) {
                Sparse v = vector(queryTexts.get(q));
                int nTouched = score(v, scores, touched);
                nearest(scores, touched, nTouched, kk, heap, neighbours, sims);
                predictions[q] = classes.vote(neighbours, sims, 0, kk, temperature, votes);
            }
        });
        return predictions;
    }

    /** The L2-normalised TF-IDF vector of a text; terms unseen in memory are dropped. */
    Sparse vector(String text) {
        List<String> ts = terms(text);
        int[] ids = new int[ts.size()];
        int m = 0;
        for (String t : ts) {
            Integer id = vocabulary.get(t);
            if (id != null) {
                ids[m++] = id;
            }
        }
        ids = Arrays.copyOf(ids, m);
        Arrays.sort(ids);
        return weigh(ids, idf);
    }

    /** The same vector, dense: [vocabularySize()]. For tests on small vocabularies. */
    float[] denseVector(String text) {
        Sparse v = vector(text);
        float[] out = new float[vocabularySize()];
        for (int i = 0; i < v.terms().length; i++) {
            out[v.terms()[i]] = v.values()[i];
        }
        return out;
    }

    /** Unigrams, then bigrams as "w1 w2" (a space is never inside a word). */
    static List<String> terms(String text) {
        List<String> words = SentenceText.words(text);
        List<String> out = new ArrayList<>(2 * words.size());
        out.addAll(words);
        for (int i = 0; i + 1 < words.size(); i++) {
            out.add(words.get(i) + ' ' + words.get(i + 1));
        }
        return out;
    }

    /** tf x idf of sorted term ids (repeats count), L2-normalised. */
    private static Sparse weigh(int[] sortedIds, float[] idf) {
        int distinct = 0;
        for (int i = 0; i < sortedIds.length; i++) {
            if (i == 0 || sortedIds[i] != sortedIds[i - 1]) {
                distinct++;
            }
        }
        int[] terms = new int[distinct];
        float[] values = new float[distinct];
        int j = -1;
        for (int i = 0; i < sortedIds.length; i++) {
            if (i == 0 || sortedIds[i] != sortedIds[i - 1]) {
                terms[++j] = sortedIds[i];
            }
            values[j] += idf[sortedIds[i]];
        }
        double sumSq = 0;
        for (float v : values) {
            sumSq += (double) v * v;
        }
        if (sumSq > 0) {
            float inv = (float) (1 / Math.sqrt(sumSq));
            for (int i = 0; i < values.length; i++) {
                values[i] *= inv;
            }
        }
        return new Sparse(terms, values);
    }

    /**
     * Cosine similarity of the query with every memory text sharing a term, summed over the query's terms
     * in increasing id order (the order of a dense dot product).
     *
     * @param scores [memorySize], all 0 on entry; the touched entries are set
     * @param touched receives the memory indices with a non-zero score
     * @return how many were touched
     */
    private int score(Sparse q, float[] scores, int[] touched) {
        int nTouched = 0;
        for (int i = 0; i < q.terms().length; i++) {
            int t = q.terms()[i];
            float w = q.values()[i];
            for (int p = postingStart[t]; p < postingStart[t + 1]; p++) {
                int d = postingDoc[p];
                if (scores[d] == 0f) {
                    touched[nTouched++] = d;
                }
                scores[d] += w * postingWeight[p];
            }
        }
        return nTouched;
    }

    /**
     * The k nearest memory texts, best first: by similarity, then lower index; memory texts not touched
     * have similarity 0 and come after all touched ones, by index. Clears the touched scores.
     *
     * @param heap [k] scratch
     * @param neighbours [k] receives the memory indices
     * @param sims [k] receives their similarities
     */
    private void nearest(float[] scores, int[] touched, int nTouched, int k, long[] heap, int[] neighbours,
                         float[] sims) {
        // key: similarity bits (positive floats order as their bits) above the complement of the index,
        // so a larger key is a better neighbour
        int size = 0;
        for (int i = 0; i < nTouched; i++) {
            int d = touched[i];
            long key = ((long) Float.floatToRawIntBits(scores[d]) << 32) | (0xFFFFFFFFL - d);
            scores[d] = 0f;
            if (size < k) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, k, 0);
            }
        }
        int found = size;
        for (int r = found - 1; r >= 0; r--) {
            long key = heap[0];
            neighbours[r] = (int) (0xFFFFFFFFL - (key & 0xFFFFFFFFL));
            sims[r] = Float.intBitsToFloat((int) (key >>> 32));
            heap[0] = heap[--size];
            siftDown(heap, size, 0);
        }
        if (found < k) {
            // the rest by lowest index among the untouched (similarity 0); touched ones are all in the top
            boolean[] isTouched = new boolean[memorySize];
            for (int i = 0; i < nTouched; i++) {
                isTouched[touched[i]] = true;
            }
            int r = found;
            for (int d = 0; d < memorySize && r < k; d++) {
                if (!isTouched[d]) {
                    neighbours[r] = d;
                    sims[r++] = 0f;
                }
            }
        }
    }

    /** The winning class index: as in {@link KnnClassifier#predict}. */
    /** Min-heap on keys: the root is the worst neighbour kept. */
    private static void siftUp(long[] heap, int pos) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (heap[pos] >= heap[parent]) {
                return;
            }
            long t = heap[pos];
            heap[pos] = heap[parent];
            heap[parent] = t;
            pos = parent;
        }
    }

    private static void siftDown(long[] heap, int size, int pos) {
        while (true) {
            int left = 2 * pos + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && heap[left + 1] < heap[left] ? left + 1 : left;
            if (heap[pos] <= heap[child]) {
                return;
            }
            long t = heap[pos];
            heap[pos] = heap[child];
            heap[child] = t;
            pos = child;
        }
    }
}
