package io.streamcl.eval;

import io.streamcl.ingest.EventRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Leave-last-out next-item evaluation, the protocol of SASRec (Kang and McAuley 2018) and CL4SRec: each
 * user's last item is held out, the rest is the history, and a recommender ranks the catalogue for the
 * user; HitRate@K is the fraction of users whose held-out item is in the top K, and NDCG@K the mean of
 * 1 / log2(rank + 1) over users whose item is in the top K (0 for the others; one relevant item, so the
 * ideal DCG is 1). Unlike SASRec's 100 sampled negatives, every catalogue item is ranked: sampled metrics
 * can disagree with the full ranking (Krichene and Rendle 2020).
 *
 * <p>Two rankers: {@link #evaluate} by cosine similarity between a user vector (made by the caller from
 * the history without the held-out item) and item vectors; {@link #mostPopular} by the number of
 * training events of each item (every event but the held-out ones), the baseline a learned model has to
 * beat. Ties are broken by item id (smaller first), so results are deterministic.
 *
 * <p>By default the items of a user's history are not ranked (a recommender should not offer what the
 * user already has), as is standard; the held-out item itself always is, even if it also occurs earlier
 * in the history. Users with fewer than two items, or without a user vector, are skipped and counted. A
 * held-out item that is not in the catalogue is a miss.
 *
 * <p>Cost: users x items x dim multiply-adds, parallel over users; the result does not depend on the
 * number of threads.
 */
public final class NextItemEvaluation {

    public static final int DEFAULT_K = 10;

    private NextItemEvaluation() {}

    /**
     * @param k the cut-off K of HitRate@K and NDCG@K, >= 1
     * @param excludeSeen whether items of the user's history are left out of the ranking
     */
    public record Options(int k, boolean excludeSeen) {
        public static final Options DEFAULT = new Options(DEFAULT_K, true);

        public Options {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
        }
    }

    /**
     * @param k the cut-off
     * @param users users evaluated
     * @param skippedUsers users with fewer than two items or without a user vector
     * @param hitRate HitRate@k in [0, 1]; NaN when no user was evaluated
     * @param ndcg NDCG@k in [0, 1]; NaN when no user was evaluated
     */
    public record Result(int k, int users, int skippedUsers, double hitRate, double ndcg) {}

    /**
     * Each user's items in time order, from time-ordered rows (e.g. {@code EventFileReader.sortedByTime}
     * or {@code SyntheticEvents.generate()}); users in order of first appearance.
     */
    public static Map<String, List<String>> histories(List<EventRow> timeOrdered) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (EventRow r : timeOrdered) {
            out.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(r.itemId());
        }
        return out;
    }

    /**
     * Ranks the catalogue (the keys of {@code itemVectors}) by cosine similarity to each user's vector.
     *
     * @param histories user -> items, oldest first; the last is held out
     * @param userVectors user -> [dim], built without the held-out item; a user without one is skipped
     * @param itemVectors item -> [dim], the catalogue; at least one
     */
    public static Result evaluate(Map<String, List<String>> histories, Map<String, float[]> userVectors,
                                  Map<String, float[]> itemVectors, Options options) {
        Objects.requireNonNull(histories, "histories");
        Objects.requireNonNull(userVectors, "userVectors");
        Objects.requireNonNull(options, "options");
        if (itemVectors == null || itemVectors.isEmpty()) {
            throw new IllegalArgumentException("itemVectors is empty");
        }
        String[] items = new TreeSet<>(itemVectors.keySet()).toArray(String[]::new);
        float[] first = itemVectors.get(items[0]);
        int dim = first == null ? 0 : first.length;
        if (dim == 0) {
            throw new IllegalArgumentException("itemVectors[" + items[0] + "] is empty");
        }
        float[] flat = new float[Math.multiplyExact(items.length, dim)];
        for (int j = 0; j < items.length; j++) {
            System.arraycopy(unit(itemVectors.get(items[j]), dim, "itemVectors", items[j]), 0, flat, j * dim, dim);
        }
        Map<String, float[]> queries = new HashMap<>(); // checked here, not in the parallel part
        for (String user : new TreeSet<>(histories.keySet())) {
            float[] u = userVectors.get(user);
            if (u != null) {
                queries.put(user, unit(u, dim, "userVectors", user));
            }
        }
        return rank(histories, items, user -> {
            float[] q = queries.get(user);
            if (q == null) {
                return null;
            }
            double[] scores = new double[items.length];
            for (int j = 0, off = 0; j < items.length; j++, off += dim) {
                double s = 0;
                for (int d = 0; d < dim; d++) {
                    s += (double) q[d] * flat[off + d];
                }
                scores[j] = s;
            }
            return scores;
        }, options);
    }

    /**
     * Ranks the catalogue by training-event count, the same list for every user (less what each has
     * seen). The catalogue is every item of the histories.
     */
    public static Result mostPopular(Map<String, List<String>> histories, Options options) {
        Set<String> catalogue = new HashSet<>();
        histories.values().forEach(catalogue::addAll);
        return mostPopular(histories, catalogue, options);
    }

    /**
     * Ranks {@code catalogue} by training-event count: how often each item occurs in the histories, not
     * counting the held-out (last) item of users with two items or more.
     *
     * @param catalogue the items ranked, e.g. those with a vector, to compare with {@link #evaluate}
     */
    public static Result mostPopular(Map<String, List<String>> histories, Collection<String> catalogue,
                                     Options options) {
        Objects.requireNonNull(histories, "histories");
        Objects.requireNonNull(options, "options");
        if (catalogue == null || catalogue.isEmpty()) {
            throw new IllegalArgumentException("catalogue is empty");
        }
        String[] items = new TreeSet<>(catalogue).toArray(String[]::new);
        Map<String, Integer> count = new HashMap<>();
        for (List<String> h : histories.values()) {
            int training = h.size() >= 2 ? h.size() - 1 : h.size();
            for (int i = 0; i < training; i++) {
                count.merge(h.get(i), 1, Integer::sum);
            }
        }
        double[] scores = new double[items.length];
        for (int j = 0; j < items.length; j++) {
            scores[j] = count.getOrDefault(items[j], 0);
        }
        return rank(histories, items, user -> scores, options);
    }

    /**
     * The shared protocol.
     *
     * @param items the catalogue, sorted: the index order breaks ties
     * @param scoresOf user -> [items.length] scores, higher first; null to skip the user
     */
    private static Result rank(Map<String, List<String>> histories, String[] items,
                               Function<String, double[]> scoresOf, Options options) {
        Map<String, Integer> index = new HashMap<>(items.length * 2);
        for (int j = 0; j < items.length; j++) {
            index.put(items[j], j);
        }
        String[] users = new TreeSet<>(histories.keySet()).toArray(String[]::new);
        // per user: NaN = skipped, else the rank of the held-out item (Integer.MAX_VALUE: not in the catalogue)
        double[] ranks = new double[users.length];
        IntStream.range(0, users.length).parallel().forEach(u -> {
            List<String> h = histories.get(users[u]);
            double[] scores = h == null || h.size() < 2 ? null : scoresOf.apply(users[u]);
            if (scores == null) {
                ranks[u] = Double.NaN;
                return;
            }
            Integer target = index.get(h.get(h.size() - 1));
            if (target == null) {
                ranks[u] = Integer.MAX_VALUE;
                return;
            }
            int t = target;
            int better = 0;
            for (int j = 0; j < scores.length; j++) {
                if (beats(scores, j, t)) {
                    better++;
                }
            }
            if (options.excludeSeen()) {
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < h.size() - 1; i++) {
                    Integer j = index.get(h.get(i));
                    if (j != null && j != t && seen.add(j) && beats(scores, j, t)) {
                        better--;
                    }
                }
            }
            ranks[u] = better + 1;
        });
        int evaluated = 0;
        int hits = 0;
        double dcg = 0;
        for (double r : ranks) {
            if (Double.isNaN(r)) {
                continue;
            }
            evaluated++;
            if (r <= options.k()) {
                hits++;
                dcg += 1 / (Math.log(r + 1) / Math.log(2));
            }
        }
        int skipped = users.length - evaluated;
        if (evaluated == 0) {
            return new Result(options.k(), 0, skipped, Double.NaN, Double.NaN);
        }
        return new Result(options.k(), evaluated, skipped, (double) hits / evaluated, dcg / evaluated);
    }

    /** The vector scaled to unit L2 norm (zero stays zero), checked for length and finite values. */
    private static float[] unit(float[] v, int dim, String name, String id) {
        if (v == null || v.length != dim) {
            throw new IllegalArgumentException(name + "[" + id + "] has length " + (v == null ? "null" : v.length)
                    + ", expected " + dim);
        }
        double sumSq = 0;
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(name + "[" + id + "] has a non-finite value: " + x);
            }
            sumSq += (double) x * x;
        }
        float[] out = new float[dim];
        if (sumSq > 0) {
            double norm = Math.sqrt(sumSq);
            for (int d = 0; d < dim; d++) {
                out[d] = (float) (v[d] / norm);
            }
        }
        return out;
    }

    /** Whether item j ranks above item t: a higher score, or an equal one and a smaller id. */
    private static boolean beats(double[] scores, int j, int t) {
        return scores[j] > scores[t] || (scores[j] == scores[t] && j < t);
    }

    /**
     * A table with one row per ranker: HitRate@K, NDCG@K and the users evaluated.
     *
     * @param results row name -> result, all with the same K
     */
    public static EvalReport report(String title, Map<String, Result> results) {
        int k = results.values().stream().mapToInt(Result::k).findFirst().orElse(DEFAULT_K);
        if (results.values().stream().anyMatch(r -> r.k() != k)) {
            throw new IllegalArgumentException("results have different k: " + results);
        }
        EvalReport report = new EvalReport(title, List.of("HitRate@" + k, "NDCG@" + k, "users"));
        results.forEach((name, r) -> report.addRow(name, r.hitRate(), r.ndcg(), r.users()));
        return report;
    }
}
