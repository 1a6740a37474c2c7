package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.index.Neighbour;
import io.streamcl.index.VersionIndex;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.FeedQueries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What {@code /neighbours} and {@code /embeddings/{id}} cost: the HNSW index of one version over 100,000 vectors
 * (its build, the latency of a k=10 search, its recall@10 against an exact scan), and the lookup of an id in the
 * learner's {@code latest-embeddings} store by interactive query, both in process: the HTTP round trip on
 * 127.0.0.1 comes on top.
 */
public final class NeighboursSection {
    static final int K = 10;
    static final int SEARCHES = 2_000;
    static final int RECALL_QUERIES = 200;
    static final int CLUSTERS = 1_000;
    static final int LOOKUPS = 5_000;

    private NeighboursSection() {}

    /**
     * @param vectors how many vectors the index holds
     * @param lookupItems how many images the learner embeds before the lookups
     */
    public static SectionReport measure(BenchRun run, int vectors, int lookupItems) throws InterruptedException {
        int dim = run.settings().get(Settings.EMBEDDING_DIM);
        System.out.printf("bench: neighbours over %d vectors of %d dimensions%n", vectors, dim);
        float[][] v = clustered(vectors, dim, run.seed());
        SectionReport report = new SectionReport();
        report.heading("Neighbours and lookups (serve)");
        try (VersionIndex index = new VersionIndex(1)) {
            long start = System.nanoTime();
            for (int i = 0; i < vectors; i++) {
                index.put(id(i), i % 4, "bench", v[i]);
            }
            index.refresh();
            double buildSeconds = (System.nanoTime() - start) / 1e9;
            Random r = new Random(run.seed());
            for (int q = 0; q < SEARCHES; q++) { // untimed: the JIT compiles the path first
                int at = r.nextInt(vectors);
                index.nearest(v[at], K, Set.of(id(at)));
            }
            double[] micros = new double[SEARCHES];
            for (int q = 0; q < SEARCHES; q++) {
                int at = r.nextInt(vectors);
                long t = System.nanoTime();
                index.nearest(v[at], K, Set.of(id(at)));
                micros[q] = (System.nanoTime() - t) / 1e3;
            }
            Arrays.sort(micros);
            double recall = 0;
            for (int q = 0; q < RECALL_QUERIES; q++) {
                int at = r.nextInt(vectors);
                List<String> found = index.nearest(v[at], K, Set.of(id(at))).stream().map(Neighbour::id).toList();
                recall += recall(exact(v, at), found);
            }
            recall /= RECALL_QUERIES;
            report.text("One version's index (`VersionIndex`: Lucene %s HNSW, cosine, M=16, beam 100 at build, %d"
                            + " candidates per search) over %d unit vectors of %d dimensions in %d clusters (a gaussian"
                            + " centre each, noise of the same scale), built one vector at a time as the feed would: %s"
                            + " s. %d searches by id at k=%d (after as many untimed), the id left out as `/neighbours?id=` does; recall@%d against"
                            + " an exact cosine scan on %d of them.%n%n",
                    org.apache.lucene.util.Version.LATEST, VersionIndex.CANDIDATES, vectors, dim, CLUSTERS,
                    SectionReport.f1(report.figure("neighbours", "index", "build_seconds", buildSeconds)), SEARCHES, K,
                    K, RECALL_QUERIES);
            report.table(List.of("vectors", "k", "p50 (ms)", "p99 (ms)", "recall@10"), List.of(List.of(
                    Integer.toString(vectors), Integer.toString(K),
                    SectionReport.f3(report.figure("neighbours", "search", "p50_ms", Percentiles.of(micros, 50) / 1e3)),
                    SectionReport.f3(report.figure("neighbours", "search", "p99_ms", Percentiles.of(micros, 99) / 1e3)),
                    SectionReport.f3(report.figure("neighbours", "search", "recall_at_10", recall)))));
        }
        lookups(run, lookupItems, report);
        return report;
    }

    private static void lookups(BenchRun run, int items, SectionReport report) throws InterruptedException {
        System.out.printf("bench: lookups of %d embedded images%n", items);
        List<RawItem> sent = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            RawItem base = run.pool().get(i % run.pool().size());
            sent.add(RawItem.newBuilder(base).setId("lookup-" + i).build());
        }
        try (BenchPipeline p = BenchPipeline.start(run.settings(), "streamcl-bench-lookups", true)) {
            p.send(sent);
            p.flush();
            FeedQueries queries = p.queries();
            boolean all = BenchPipeline.await(() -> sent.stream().allMatch(s -> found(queries, s.getId())),
                    run.timeout().toNanos(), () -> { });
            if (!all) {
                throw new IllegalStateException("not every image was embedded within " + run.timeout());
            }
            Random r = new Random(run.seed());
            for (int q = 0; q < LOOKUPS; q++) { // untimed: the JIT compiles the path first
                found(queries, sent.get(r.nextInt(items)).getId());
            }
            double[] micros = new double[LOOKUPS];
            for (int q = 0; q < LOOKUPS; q++) {
                String id = sent.get(r.nextInt(items)).getId();
                long t = System.nanoTime();
                found(queries, id);
                micros[q] = (System.nanoTime() - t) / 1e3;
            }
            Arrays.sort(micros);
            report.text("Lookups as `/embeddings/{id}` makes them (the key's owner from Kafka Streams' metadata, then"
                    + " a read of the `latest-embeddings` store, RocksDB, decoded from Avro) once the learner had embedded"
                    + " %d images: %d lookups of random ids (after as many untimed) while it still trained.%n%n", items, LOOKUPS);
            report.table(List.of("ids", "lookups", "p50 (ms)", "p99 (ms)"), List.of(List.of(Integer.toString(items),
                    Integer.toString(LOOKUPS),
                    SectionReport.f3(report.figure("neighbours", "lookup", "p50_ms", Percentiles.of(micros, 50) / 1e3)),
                    SectionReport.f3(report.figure("neighbours", "lookup", "p99_ms", Percentiles.of(micros, 99) / 1e3)))));
        }
    }

    private static boolean found(FeedQueries queries, String id) {
        try {
            return queries.ownerOf(id) instanceof FeedQueries.Owner.Here here
                    && queries.embedding(id, here.partition()).isPresent();
        } catch (RuntimeException e) { // the store is still being restored or assigned
            return false;
        }
    }

    private static String id(int i) {
        return "v" + i;
    }

    /** Unit vectors around {@link #CLUSTERS} gaussian centres, as a trained encoder spreads its items. */
    static float[][] clustered(int n, int dim, long seed) {
        Random r = new Random(seed);
        float[][] centres = new float[CLUSTERS][dim];
        for (float[] c : centres) {
            for (int i = 0; i < dim; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        float[][] v = new float[n][dim];
        for (int j = 0; j < n; j++) {
            float[] c = centres[r.nextInt(CLUSTERS)];
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                v[j][i] = c[i] + (float) r.nextGaussian();
                norm += v[j][i] * v[j][i];
            }
            for (int i = 0; i < dim; i++) {
                v[j][i] /= (float) Math.sqrt(norm);
            }
        }
        return v;
    }

    /** The exact top k of {@code v[at]} by cosine (the vectors are unit), itself left out. */
    static List<String> exact(float[][] v, int at) {
        int[] best = new int[K];
        double[] scores = new double[K];
        Arrays.fill(scores, Double.NEGATIVE_INFINITY);
        for (int j = 0; j < v.length; j++) {
            if (j == at) {
                continue;
            }
            double dot = 0;
            for (int i = 0; i < v[j].length; i++) {
                dot += v[j][i] * v[at][i];
            }
            if (dot > scores[K - 1]) {
                int pos = K - 1;
                while (pos > 0 && scores[pos - 1] < dot) {
                    scores[pos] = scores[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                scores[pos] = dot;
                best[pos] = j;
            }
        }
        return Arrays.stream(best).mapToObj(NeighboursSection::id).toList();
    }

    static double recall(List<String> exact, List<String> found) {
        return exact.stream().filter(found::contains).count() / (double) exact.size();
    }
}
