package io.streamcl.serve;

import io.streamcl.topology.RecentEmbeddings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /dashboard/projection[?kind=K]}: the pipeline's sample of recent embeddings of one kind (the one
 * asked for, else the one with the most vectors), on the principal plane of those vectors, grouped by label for
 * the scatter's colours. Only the vectors of one version are projected, the version most of the sample is on:
 * a backfill moves the sample from one version to the next, and two versions' spaces have nothing in common.
 */
final class EmbeddingProjection {
    /** The largest label groups get a colour each; the others are drawn together as {@value #OTHER}. */
    static final int MAX_GROUPS = 10;
    static final String OTHER = "other";

    private EmbeddingProjection() {}

    /** @param kindAsked null: the kind with the most sampled vectors */
    static Reply answer(RecentEmbeddings sample, String kindAsked) {
        List<String> kinds = sample.kinds().stream().sorted().toList();
        if (kindAsked != null && !kinds.contains(kindAsked)) {
            return Reply.error(404, "no embeddings of kind '" + kindAsked + "' sampled yet (sampled: "
                    + (kinds.isEmpty() ? "none" : String.join(", ", kinds)) + ")");
        }
        String kind = kindAsked;
        List<RecentEmbeddings.Sampled> vectors = kind == null ? List.of() : sample.embedded(kind);
        if (kind == null) {
            for (String k : kinds) {
                List<RecentEmbeddings.Sampled> of = sample.embedded(k);
                if (kind == null || of.size() > vectors.size()) {
                    kind = k;
                    vectors = of;
                }
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kinds", kinds);
        json.put("kind", kind);
        json.put("sampled", vectors.size());
        List<RecentEmbeddings.Sampled> onVersion = onCommonestVersion(vectors);
        json.put("version", onVersion.isEmpty() ? null : onVersion.get(0).version());
        json.put("points", onVersion.size());
        PrincipalPlane.Projection p = PrincipalPlane.project(onVersion.stream().map(RecentEmbeddings.Sampled::vector)
                .toList());
        json.put("explained", List.of(p.explained()[0], p.explained()[1]));
        json.put("groups", groups(onVersion, p));
        return Reply.json(200, json);
    }

    /** The vectors of the version most of them are on (the newer one of a tie), in their order. */
    private static List<RecentEmbeddings.Sampled> onCommonestVersion(List<RecentEmbeddings.Sampled> vectors) {
        Map<Long, Integer> counts = new HashMap<>();
        vectors.forEach(v -> counts.merge(v.version(), 1, Integer::sum));
        long version = counts.entrySet().stream()
                .max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(-1L);
        return vectors.stream().filter(v -> v.version() == version).toList();
    }

    /**
     * {@code [{"label", "x": [...], "y": [...]}...]}: the {@value #MAX_GROUPS} largest labels in the order of
     * their names (so that each keeps its colour from one poll to the next), then {@value #OTHER}; points without
     * a label in one group of label null.
     */
    private static List<Map<String, Object>> groups(List<RecentEmbeddings.Sampled> vectors,
            PrincipalPlane.Projection p) {
        Map<String, Integer> sizes = new HashMap<>();
        vectors.stream().map(RecentEmbeddings.Sampled::label).filter(Objects::nonNull)
                .forEach(l -> sizes.merge(l, 1, Integer::sum));
        Comparator<Map.Entry<String, Integer>> largestFirst = Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey());
        List<String> named = sizes.entrySet().stream().sorted(largestFirst).limit(MAX_GROUPS).map(Map.Entry::getKey)
                .sorted(EmbeddingProjection::byName).toList();
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        named.forEach(l -> members.put(l, new ArrayList<>()));
        List<Integer> other = new ArrayList<>();
        List<Integer> unlabelled = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            String label = vectors.get(i).label();
            (label == null ? unlabelled : members.getOrDefault(label, other)).add(i);
        }
        List<Map<String, Object>> groups = new ArrayList<>();
        members.forEach((label, of) -> groups.add(group(label, of, p)));
        if (!other.isEmpty()) {
            groups.add(group(OTHER, other, p));
        }
        if (!unlabelled.isEmpty()) {
            groups.add(group(null, unlabelled, p));
        }
        return groups;
    }

    private static Map<String, Object> group(String label, List<Integer> members, PrincipalPlane.Projection p) {
        List<Float> x = new ArrayList<>(members.size());
        List<Float> y = new ArrayList<>(members.size());
        for (int i : members) {
            x.add((float) p.x()[i]); // a float's digits are plenty for a pixel
            y.add((float) p.y()[i]);
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("label", label);
        g.put("x", x);
        g.put("y", y);
        return g;
    }

    /** Numbers in numeric order ("2" before "10"), then any other name alphabetically. */
    private static int byName(String a, String b) {
        Comparator<String> numeric = Comparator.comparing(EmbeddingProjection::number,
                Comparator.nullsLast(Comparator.naturalOrder()));
        int c = numeric.compare(a, b);
        return c != 0 ? c : a.compareTo(b);
    }

    private static Double number(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
