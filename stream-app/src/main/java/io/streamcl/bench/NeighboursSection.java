package io.streamcl.bench;

import io.streamcl.config.Settings;
import io.streamcl.index.Neighbour;
import io.streamcl.index.VersionIndex;
import io.streamcl.schema.RawItem;
import io.streamcl.topology.FeedQueries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What {@code /neighbours} and {@code /embeddings/{id}} cost: the HNSW index of one version over 100,000 vectors
 * (its build, the latency of a k=10 search, its recall@10 against an exact scan), and the lookup of an id in the
 * learner's {@code latest-embeddings} store by interactive query, in process and as {@code GET /embeddings/{id}}
 * over HTTP, and {@code GET /neighbours} over HTTP on the learner's own index.
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
            report.text("One version's index (`VersionIndex`: Lucene %s HNSW, dot product of unit vectors, M=%d, beam %d at build, %d"
                            + " candidates per search) over %d unit vectors of %d dimensions in %d clusters (a gaussian"
                            + " centre each, noise of the same scale), built one vector at a time as the feed would: %s"
                            + " s. %d searches by id at k=%d (after as many untimed), the id left out as `/neighbours?id=` does; recall@%d against"
                            + " an exact cosine scan on %d of them.%n%n",
                    org.apache.lucene.util.Version.LATEST, VersionIndex.MAX_CONNECTIONS, VersionIndex.BUILD_BEAM,
                    VersionIndex.CANDIDATES, vectors, dim, CLUSTERS,
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
        System.out.printf("bench: lookups of %d embedded images, in process and over HTTP%n", items);
        List<RawItem> sent = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            RawItem base = run.pool().get(i % run.pool().size());
            sent.add(RawItem.newBuilder(base).setId("lookup-" + i).build());
        }
        try (BenchPipeline p = BenchPipeline.startServed(run.settings(), "streamcl-bench-lookups")) {
            p.send(sent);
            p.flush();
            FeedQueries queries = p.queries();
            boolean all = BenchPipeline.await(() -> sent.stream().allMatch(s -> found(queries, s.getId())),
                    run.timeout().toNanos(), () -> { });
            if (!all) {
                throw new IllegalStateException("not every image was embedded within " + run.timeout());
            }
            Random r = new Random(run.seed());
            double[] inProcess = timed(() -> found(queries, sent.get(r.nextInt(items)).getId()));
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String server = "http://127.0.0.1:" + p.httpPort();
            double[] byId = timed(() -> ok(client, server + "/embeddings/" + sent.get(r.nextInt(items)).getId()));
            // the index follows the newest version that is complete on every partition: wait for one
            boolean indexed = BenchPipeline.await(() -> ok(client, server + "/neighbours?k=" + K + "&id="
                    + sent.get(0).getId()), run.timeout().toNanos(), () -> { });
            if (!indexed) {
                throw new IllegalStateException("/neighbours had no complete version within " + run.timeout());
            }
            double[] near = timed(() -> ok(client, server + "/neighbours?k=" + K + "&id="
                    + sent.get(r.nextInt(items)).getId()));
            report.text("Lookups once the learner (`run`'s, with its HTTP server on 127.0.0.1) had embedded %d images,"
                    + " while it still trained: %d calls of each kind on random ids, after as many untimed. In process is"
                    + " what `/embeddings/{id}` does inside the server (the key's owner from Kafka Streams' metadata,"
                    + " then a read of the `latest-embeddings` store, RocksDB, decoded from Avro); the HTTP rows are the"
                    + " whole round trip of one client on one kept-alive connection, JSON included. `/neighbours` searches"
                    + " the index of the %d.%n%n", items, LOOKUPS, items);
            report.table(List.of("call", "ids", "p50 (ms)", "p99 (ms)"), List.of(
                    row(report, "store read, in process", "lookup", items, inProcess),
                    row(report, "GET /embeddings/{id}", "http_lookup", items, byId),
                    row(report, "GET /neighbours?id=&k=10", "http_neighbours", items, near)));
        }
    }

    private static List<String> row(SectionReport report, String call, String figure, int items, double[] micros) {
        return List.of(call, Integer.toString(items),
                SectionReport.f3(report.figure("neighbours", figure, "p50_ms", Percentiles.of(micros, 50) / 1e3)),
                SectionReport.f3(report.figure("neighbours", figure, "p99_ms", Percentiles.of(micros, 99) / 1e3)));
    }

    /** {@link #LOOKUPS} timed calls in microseconds, sorted, after as many untimed (the JIT compiles the path first). */
    private static double[] timed(BooleanSupplier call) {
        for (int q = 0; q < LOOKUPS; q++) {
            call.getAsBoolean();
        }
        double[] micros = new double[LOOKUPS];
        for (int q = 0; q < LOOKUPS; q++) {
            long t = System.nanoTime();
            if (!call.getAsBoolean()) {
                throw new IllegalStateException("a timed call failed: the learner lost an embedding or its index");
            }
            micros[q] = (System.nanoTime() - t) / 1e3;
        }
        Arrays.sort(micros);
        return micros;
    }

    /** Whether a GET answered 200; the body is read whole, as a client would. */
    private static boolean ok(HttpClient client, String uri) {
        try {
            HttpResponse<byte[]> a = client.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            return a.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
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
