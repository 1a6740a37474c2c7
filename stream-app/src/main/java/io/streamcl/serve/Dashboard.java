package io.streamcl.serve;

import io.javalin.config.RoutesConfig;
import io.streamcl.topology.PipelineMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live dashboard: {@code GET /} is one HTML page that loads its script and the chart library (uPlot, whose
 * WebJar is inside the jar: nothing comes from anywhere else) and polls two JSON endpoints, {@value #SERIES} (the
 * pipeline's figures over the last minutes, {@link DashboardSeries}) and {@value #PROJECTION} (recent embeddings on
 * their principal plane, {@link EmbeddingProjection}). Until {@link #watch} gives it a pipeline, the page shows no
 * data and says it waits for the learner.
 */
final class Dashboard implements AutoCloseable {
    static final String PAGE = "/";
    static final String SERIES = "/dashboard/series";
    static final String PROJECTION = "/dashboard/projection";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    /** uPlot's WebJar: its version is read from the jar, so that the pom alone says which one ships. */
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** Code, the same for everyone and nothing of the data: the token check lets it through (see LearnerServer). */
    private static final Map<String, Reply> CODE = code();
    private static final Reply PAGE_REPLY = new Reply(200, HTML, resource("io/streamcl/serve/dashboard.html"));

    private record Watched(PipelineMetrics metrics, DashboardSeries series, PipelineSampler sampler) {}

    private final AtomicReference<Watched> watched = new AtomicReference<>();

    static boolean isPublic(String path) {
        return CODE.containsKey(path);
    }

    void addRoutes(RoutesConfig routes) {
        routes.get(PAGE, ctx -> LearnerServer.send(ctx, PAGE_REPLY));
        CODE.forEach((path, reply) -> routes.get(path, ctx -> LearnerServer.send(ctx, reply)));
        routes.get(SERIES, ctx -> LearnerServer.send(ctx, series()));
        routes.get(PROJECTION, ctx -> LearnerServer.send(ctx, projection(ctx.queryParam("kind"))));
    }

    /** From now on, samples this pipeline's figures of these kinds every second, and projects its embeddings. */
    void watch(PipelineMetrics metrics, List<String> kinds) {
        DashboardSeries series = new DashboardSeries(kinds, DashboardSeries.DEFAULT_CAPACITY);
        Watched old = watched.getAndSet(new Watched(metrics, series, PipelineSampler.start(metrics, series)));
        if (old != null) {
            old.sampler().close();
        }
    }

    private Reply series() {
        Watched w = watched.get();
        if (w == null) {
            return Reply.json(200, new DashboardSeries(List.of(), 1).toJson());
        }
        return Reply.json(200, w.series().toJson());
    }

    private Reply projection(String kind) {
        Watched w = watched.get();
        if (w == null) {
            return Reply.error(503, "the learner is starting");
        }
        return EmbeddingProjection.answer(w.metrics().recentEmbeddings(), kind == null || kind.isBlank() ? null : kind);
    }

    @Override
    public void close() {
        Watched w = watched.getAndSet(null);
        if (w != null) {
            w.sampler().close();
        }
    }

    private static Map<String, Reply> code() {
        String uplot = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return Map.of("/dashboard/uplot.js", new Reply(200, JAVASCRIPT, resource(uplot + "uPlot.iife.min.js")),
                "/dashboard/uplot.css", new Reply(200, CSS, resource(uplot + "uPlot.min.css")),
                "/dashboard/dashboard.js", new Reply(200, JAVASCRIPT, resource("io/streamcl/serve/dashboard.js")));
    }

    private static String uplotVersion() {
        Properties p = new Properties();
        try (InputStream in = stream(UPLOT_POM)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_POM, e);
        }
        return p.getProperty("version");
    }

    /** A file of the jar, read once: a missing one is a broken build, said at the server's start. */
    private static String resource(String path) {
        try (InputStream in = stream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the jar", e);
        }
    }

    private static InputStream stream(String path) {
        InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not in the jar: the build left it out");
        }
        return in;
    }
}
