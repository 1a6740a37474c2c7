package io.streamcl.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Exact cosine top-k by a scan of every vector: what the approximate index is measured against. */
public final class ExactNeighbours {
    private ExactNeighbours() {}

    public static List<String> top(Map<String, float[]> vectors, float[] query, int k, Set<String> exclude) {
        record Scored(String id, double score) {}
        PriorityQueue<Scored> best = new PriorityQueue<>(Comparator.comparingDouble(Scored::score));
        double qn = norm(query);
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
            if (exclude.contains(e.getKey())) {
                continue;
            }
            double dot = 0;
            float[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                dot += (double) v[i] * query[i];
            }
            best.add(new Scored(e.getKey(), dot / (qn * norm(v))));
            if (best.size() > k) {
                best.poll();
            }
        }
        List<String> ids = new ArrayList<>();
        best.stream().sorted(Comparator.comparingDouble(Scored::score).reversed()).forEach(s -> ids.add(s.id()));
        return ids;
    }

    /** The share of the exact top-k the approximate answer found. */
    public static double recall(List<String> exact, List<String> approximate) {
        return exact.isEmpty() ? 1.0 : exact.stream().filter(approximate::contains).count() / (double) exact.size();
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }
}
