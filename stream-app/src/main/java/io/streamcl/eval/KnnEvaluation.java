package io.streamcl.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * kNN evaluation of exported embeddings against labels, one row per model version.
 *
 * <p>A kNN across model versions is meaningless (two encoders place items in unrelated spaces), so the
 * embeddings are grouped by (model name, model version) and each group is evaluated on its own: its
 * labelled memory items vote for its labelled queries. Queries come either from a second export file
 * (matched to the memory by group) or, without one, from a seeded holdout of each group's labelled ids.
 * Ids without a label are counted and skipped. The uniformity column is computed on all of a group's
 * memory embeddings, labelled or not.
 */
public final class KnnEvaluation {

    public static final String KNN = "kNN top-1";
    public static final String UNIFORMITY = "uniformity";
    public static final String MEMORY = "memory";
    public static final String QUERIES = "queries";

    private KnnEvaluation() {}

    /**
     * Evaluation settings, validated on construction.
     *
     * @param k neighbours that vote, >= 1
     * @param temperature kNN temperature, > 0
     * @param holdout fraction of each group's labelled ids held out as queries when there is no query
     *     file, in (0, 1)
     * @param seed seed of the holdout shuffle and of the uniformity pair sample
     * @param uniformityPairs the most pairs for uniformity, >= 1
     */
    public record Options(int k, double temperature, double holdout, long seed, int uniformityPairs) {
        public Options {
            new KnnClassifier(k, temperature); // validates k and temperature
            if (!(holdout > 0 && holdout < 1)) {
                throw new IllegalArgumentException("holdout must be in (0, 1), got " + holdout);
            }
            if (uniformityPairs < 1) {
                throw new IllegalArgumentException("uniformityPairs must be >= 1, got " + uniformityPairs);
            }
        }
    }

    /**
     * @param report one row per evaluated model version
     * @param messages warnings and notes for the user, one line each, in the order they arose
     * @param queries usable (labelled) queries evaluated, over all rows
     */
    public record Result(EvalReport report, List<String> messages, int queries) {}

    /** Nothing could be evaluated: no model version had both labelled memory items and labelled queries. */
    public static final class NoUsableQueriesException extends Exception {
        private final transient List<String> messages;

        NoUsableQueriesException(String message, List<String> messages) {
            super(message);
            this.messages = List.copyOf(messages);
        }

        /** The warnings and notes that arose before the failure, as in {@link Result#messages()}. */
        public List<String> messages() {
            return messages;
        }
    }

    /** (model name, model version): one encoder's embedding space. */
    record ModelKey(String name, long version) implements Comparable<ModelKey> {
        private static final Comparator<ModelKey> ORDER =
                Comparator.comparing(ModelKey::name).thenComparingLong(ModelKey::version);

        static ModelKey of(ExportedEmbedding e) {
            return new ModelKey(e.modelName(), e.modelVersion());
        }

        @Override
        public int compareTo(ModelKey o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return name.isEmpty() ? "v" + version : name + " v" + version;
        }
    }

    /**
     * Evaluates with queries held out of the memory file.
     *
     * @param memory the export rows (any order; for a duplicated id the last row wins)
     */
    public static Result holdout(List<ExportedEmbedding> memory, Labels labels, Options settings)
            throws NoUsableQueriesException {
        return run(memory, labels, null, null, settings);
    }

    /**
     * Evaluates queries from a second export file against the memory file. Query labels are matched to
     * memory labels by name (see {@link Labels#alignedTo}).
     */
    public static Result withQueries(List<ExportedEmbedding> memory, Labels memoryLabels,
                                     List<ExportedEmbedding> queries, Labels queryLabels, Options settings)
            throws NoUsableQueriesException {
        return run(memory, memoryLabels, queries, queryLabels.alignedTo(memoryLabels), settings);
    }

    private static Result run(List<ExportedEmbedding> memory, Labels memoryLabels, List<ExportedEmbedding> queries,
                              Labels queryLabels, Options s) throws NoUsableQueriesException {
        List<String> messages = new ArrayList<>();
        Map<ModelKey, Map<String, ExportedEmbedding>> memoryGroups = group(memory, "memory", messages);
        Map<ModelKey, Map<String, ExportedEmbedding>> queryGroups =
                queries == null ? null : group(queries, "query", messages);
        if (memoryGroups.size() > 1) {
            messages.add("warning: the memory file mixes " + memoryGroups.size() + " model versions ("
                    + String.join(", ", memoryGroups.keySet().stream().map(ModelKey::toString).toList())
                    + "); a kNN across versions is meaningless, so each version is evaluated on its own");
        }

        String queriesFrom = queries == null
                ? String.format(Locale.ROOT, "a %.0f%% holdout (seed %d)", 100 * s.holdout(), s.seed())
                : "the query file";
        EvalReport report = new EvalReport(String.format(Locale.ROOT,
                "kNN evaluation (k=%d, T=%s), queries from %s", s.k(), s.temperature(), queriesFrom),
                List.of(KNN, UNIFORMITY, MEMORY, QUERIES));
        report.putMeta("k", Integer.toString(s.k()));
        report.putMeta("temperature", Double.toString(s.temperature()));
        report.putMeta("queries", queries == null ? "holdout" : "file");
        if (queries == null) {
            report.putMeta("holdout", Double.toString(s.holdout()));
        }
        report.putMeta("seed", Long.toString(s.seed()));

        KnnClassifier knn = new KnnClassifier(s.k(), s.temperature());
        int totalQueries = 0;
        int unlabelledMemory = 0;
        int unlabelledQueries = 0;
        List<String> skipped = new ArrayList<>();
        Map<ModelKey, ModelKey> queryKeyOf = queryGroups == null ? Map.of() : match(memoryGroups, queryGroups);
        if (queryGroups != null) {
            for (ModelKey key : queryGroups.keySet()) {
                if (!queryKeyOf.containsValue(key)) {
                    messages.add("warning: " + key + " is in the query file only; its "
                            + queryGroups.get(key).size() + " queries are skipped");
                    skipped.add(key + ": no memory items");
                }
            }
        }
        for (Map.Entry<ModelKey, Map<String, ExportedEmbedding>> group : memoryGroups.entrySet()) {
            ModelKey key = group.getKey();
            Map<String, ExportedEmbedding> all = group.getValue();
            List<ExportedEmbedding> labelledMemory = new ArrayList<>();
            for (ExportedEmbedding e : all.values()) {
                if (memoryLabels.label(e.id()) != null) {
                    labelledMemory.add(e);
                } else {
                    unlabelledMemory++;
                }
            }
            List<ExportedEmbedding> labelledQueries = new ArrayList<>();
            Labels qLabels;
            if (queryGroups == null) {
                qLabels = memoryLabels;
                labelledMemory.sort(Comparator.comparing(ExportedEmbedding::id));
                Collections.shuffle(labelledMemory, new Random(s.seed()));
                int n = labelledMemory.size();
                int held = n < 2 ? 0 : (int) Math.min(n - 1, Math.max(1, Math.round(s.holdout() * n)));
                labelledQueries.addAll(labelledMemory.subList(0, held));
                labelledMemory = new ArrayList<>(labelledMemory.subList(held, n));
            } else {
                qLabels = queryLabels;
                ModelKey queryKey = queryKeyOf.get(key);
                Map<String, ExportedEmbedding> qs = queryKey == null ? null : queryGroups.get(queryKey);
                if (qs == null) {
                    messages.add("warning: " + key + " is in the memory file only; it is skipped");
                    skipped.add(key + ": no queries of this version");
                    continue;
                }
                int leaked = 0;
                for (ExportedEmbedding e : qs.values()) {
                    if (queryLabels.label(e.id()) == null) {
                        unlabelledQueries++;
                    } else {
                        labelledQueries.add(e);
                        if (all.containsKey(e.id())) {
                            leaked++;
                        }
                    }
                }
                if (leaked > 0) {
                    messages.add("warning: " + key + ": " + leaked + " query ids are also in the memory;"
                            + " each can find itself, which inflates the accuracy");
                }
            }
            if (labelledMemory.isEmpty() || labelledQueries.isEmpty()) {
                int labelled = labelledMemory.size() + labelledQueries.size();
                String why = queryGroups == null && labelled > 0
                        ? "only " + labelled + " labelled id, too few to hold out queries"
                        : labelledMemory.isEmpty() ? "no labelled memory items" : "no labelled queries";
                messages.add("warning: " + key + ": " + why + "; it is skipped");
                skipped.add(key + ": " + why);
                continue;
            }
            int memoryDim = labelledMemory.get(0).dim();
            if (labelledQueries.get(0).dim() != memoryDim) {
                throw new IllegalArgumentException(key + ": memory embeddings have dim " + memoryDim
                        + " but queries have dim " + labelledQueries.get(0).dim());
            }
            double accuracy = knn.accuracy(vectors(labelledMemory), labelsOf(labelledMemory, memoryLabels),
                    vectors(labelledQueries), labelsOf(labelledQueries, qLabels));
            List<ExportedEmbedding> everything = new ArrayList<>(all.values());
            double uniformity = everything.size() < 2 ? Double.NaN
                    : AlignmentUniformity.uniformity(vectors(everything), s.uniformityPairs(), s.seed());
            // a CSV memory file has no model name: borrow the query file's
            String rowName = queryGroups == null || !key.name().isEmpty()
                    ? key.toString() : queryKeyOf.get(key).toString();
            report.addRow(rowName, accuracy, uniformity, labelledMemory.size(), labelledQueries.size());
            totalQueries += labelledQueries.size();
        }
        if (unlabelledMemory > 0 || unlabelledQueries > 0) {
            messages.add("note: ids without a label were skipped: " + unlabelledMemory + " in the memory"
                    + (queries == null ? "" : ", " + unlabelledQueries + " in the queries"));
        }
        report.putMeta("unlabelled memory ids", Integer.toString(unlabelledMemory));
        if (queries != null) {
            report.putMeta("unlabelled query ids", Integer.toString(unlabelledQueries));
        }
        if (report.rows().isEmpty()) {
            throw new NoUsableQueriesException("no usable queries: no model version has both labelled memory"
                    + " items and labelled queries (" + String.join("; ", skipped) + ")", messages);
        }
        return new Result(report, List.copyOf(messages), totalQueries);
    }

    /**
     * Pairs each memory group with its query group: the same (name, version), or else the same version
     * where one side has no model name (CSV exports carry none) and the pairing is unambiguous.
     */
    private static Map<ModelKey, ModelKey> match(Map<ModelKey, ?> memoryGroups, Map<ModelKey, ?> queryGroups) {
        Map<ModelKey, ModelKey> matched = new LinkedHashMap<>();
        for (ModelKey m : memoryGroups.keySet()) {
            if (queryGroups.containsKey(m)) {
                matched.put(m, m);
                continue;
            }
            List<ModelKey> candidates = queryGroups.keySet().stream()
                    .filter(q -> q.version() == m.version() && (q.name().isEmpty() || m.name().isEmpty()))
                    .filter(q -> !memoryGroups.containsKey(q))
                    .toList();
            long rivals = memoryGroups.keySet().stream()
                    .filter(o -> o.version() == m.version() && !o.equals(m))
                    .count();
            if (candidates.size() == 1 && rivals == 0) {
                matched.put(m, candidates.get(0));
            }
        }
        return matched;
    }

    /** Groups rows by model; for an id that appears twice in a group, the later row wins. */
    private static Map<ModelKey, Map<String, ExportedEmbedding>> group(List<ExportedEmbedding> rows, String what,
                                                                       List<String> messages) {
        Map<ModelKey, Map<String, ExportedEmbedding>> groups = new TreeMap<>();
        int duplicates = 0;
        for (ExportedEmbedding e : rows) {
            ModelKey key = ModelKey.of(e);
            Map<String, ExportedEmbedding> group = groups.computeIfAbsent(key, k -> new LinkedHashMap<>());
            ExportedEmbedding previous = group.put(e.id(), e);
            if (previous != null) {
                duplicates++;
            }
            ExportedEmbedding first = group.values().iterator().next();
            if (first.dim() != e.dim()) {
                throw new IllegalArgumentException(what + " id " + e.id() + " of " + key + " has dim " + e.dim()
                        + ", other embeddings of that version have " + first.dim());
            }
        }
        if (duplicates > 0) {
            messages.add("warning: " + duplicates + " " + what + " ids appear more than once for the same"
                    + " model version; the last row of each was used");
        }
        return groups;
    }

    private static float[][] vectors(List<ExportedEmbedding> rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i).vector();
        }
        return out;
    }

    private static int[] labelsOf(List<ExportedEmbedding> rows, Labels labels) {
        int[] out = new int[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.label(rows.get(i).id());
        }
        return out;
    }
}
