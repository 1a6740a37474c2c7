package io.streamcl.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.streamcl.topology.FeedQueries;
import io.streamcl.topology.PipelineMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server (Javalin on Jetty) beside the stream: {@code /health}, {@code /ready}, {@code /metrics},
 * {@code /embeddings/{id}}, and the dashboard at {@code /} ({@link Dashboard}). It listens before the learner
 * starts, so that the port it got (with {@code http.port=0}) can be advertised to the other instances, and answers
 * 503 on everything that needs the learner until {@link #attach} gives it one. With
 * {@code http.token} set, every endpoint but {@code /health} needs {@code Authorization: Bearer <token>} (the
 * dashboard's page also takes it as {@code ?token=}, and the code it loads needs none: see {@link #mayPass}). Every
 * answer it makes itself, errors included, is JSON.
 */
public final class LearnerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LearnerServer.class);
    /** The one path a liveness probe may call without the token: it says nothing of the data. */
    static final String HEALTH = "/health";

    private final Javalin javalin;
    private final AtomicReference<LearnerView> learner;
    private final Dashboard dashboard;
    private final NeighbourEndpoints neighbours;

    private LearnerServer(Javalin javalin, AtomicReference<LearnerView> learner, Dashboard dashboard,
            NeighbourEndpoints neighbours) {
        this.javalin = javalin;
        this.learner = learner;
        this.dashboard = dashboard;
        this.neighbours = neighbours;
    }

    /**
     * Listens at {@code http.host():http.port()} now.
     *
     * @throws CannotListenException when it cannot (the port is taken, the host is not this machine's), saying so
     */
    public static LearnerServer start(HttpSettings http, PrometheusMetrics metrics) {
        if (!http.enabled()) {
            throw new IllegalArgumentException("http.port=-1: there is no server to start");
        }
        AtomicReference<LearnerView> learner = new AtomicReference<>(LearnerView.STARTING);
        BearerToken token = new BearerToken(http.token());
        EmbeddingLookup lookup = new EmbeddingLookup(new OwnerForwarding());
        Dashboard dashboard = new Dashboard();
        NeighbourEndpoints neighbours = new NeighbourEndpoints(new OwnerForwarding());
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = http.host();
            config.jetty.port = http.port();
            config.jetty.threadPool = threadPool();
            config.routes.before(ctx -> {
                if (!mayPass(ctx, token)) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    send(ctx, Reply.error(401, Dashboard.PAGE.equals(ctx.path())
                            ? "the dashboard needs the token: open /?token=<http.token>"
                            : "this endpoint needs the header Authorization: Bearer <http.token>"));
                    ctx.skipRemainingHandlers();
                }
            });
            config.routes.get(HEALTH, ctx -> send(ctx, Reply.json(200, Map.of("status", "alive"))));
            config.routes.get("/ready", ctx -> send(ctx, Readiness.check(learner.get())));
            config.routes.get("/metrics", ctx -> send(ctx, metrics.scrape(ctx.header("Accept"))));
            config.routes.get("/embeddings/{id}", ctx -> send(ctx, lookup.get(learner.get(), ctx.pathParam("id"),
                    ctx.header(OwnerForwarding.FORWARDED) != null, ctx.header("Authorization"))));
            dashboard.addRoutes(config.routes);
            neighbours.register(config.routes); // /neighbours, /recommend and the calls instances make of each other
            // Javalin's own refusals (no such endpoint, a bad request) and any failure, in the same JSON shape
            config.routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx,
                    Reply.error(e.getStatus(), e.getStatus() == 404 ? "no endpoint " + ctx.method() + " " + ctx.path()
                            : e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                send(ctx, Reply.error(500, "internal error: " + e));
            });
        });
        try {
            javalin.start();
        } catch (RuntimeException e) {
            javalin.stop();
            dashboard.close();
            throw new CannotListenException("cannot listen for HTTP on " + http.host() + ":" + http.port() + ": "
                    + rootMessage(e) + " (settings http.host, http.port; http.port=-1 turns the server off)", e);
        }
        LOG.info("HTTP server listening on http://{}:{}{}", http.host(), javalin.port(),
                token.required() ? " (every endpoint but /health needs the bearer token)" : "");
        return new LearnerServer(javalin, learner, dashboard, neighbours);
    }

    /**
     * Whether a request may pass the token check: {@code /health} always; the dashboard's script and chart library
     * always, being code that says nothing of the data, because a page's {@code <script>} cannot send a header; the
     * dashboard's page with the token as {@code ?token=} too, because a browser's address bar cannot either (its
     * script then sends the header on every request for data); anything else with the header.
     */
    private static boolean mayPass(Context ctx, BearerToken token) {
        String path = ctx.path();
        if (HEALTH.equals(path) || Dashboard.isPublic(path) || token.allows(ctx.header("Authorization"))) {
            return true;
        }
        String query = ctx.queryParam("token");
        return Dashboard.PAGE.equals(path) && query != null && token.allows("Bearer " + query);
    }

    /** A few threads: a handful of scrapes, probes and lookups at a time, beside stream threads that need the CPU. */
    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(32, 2, 60_000);
        pool.setName("http");
        pool.setDaemon(true);
        return pool;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static void send(Context ctx, Reply reply) {
        ctx.status(reply.status()).contentType(reply.contentType()).result(reply.body());
    }

    /** The port it listens on (the one it was given, or the free one it found). */
    public int port() {
        return javalin.port();
    }

    /** From now on, the endpoints answer from this learner. */
    public void attach(FeedQueries queries, List<String> kinds) {
        attach(LearnerView.of(queries, kinds));
    }

    void attach(LearnerView view) {
        learner.set(view);
    }

    /** From now on the dashboard samples and shows this pipeline's figures and embeddings, of these kinds. */
    public void showOnDashboard(PipelineMetrics metrics, List<String> kinds) {
        dashboard.watch(metrics, kinds);
    }

    /** From now on, {@code /neighbours} and {@code /recommend} answer from these indexes and stores. */
    void attachNeighbours(NeighbourView view) {
        neighbours.attach(view);
    }

    @Override
    public void close() {
        javalin.stop();
        dashboard.close();
    }
}
