package io.streamcl.serve;

import io.streamcl.config.Settings;
import io.streamcl.kind.ItemKind;
import io.streamcl.kind.ItemKinds;
import io.streamcl.topology.LearnerApp;
import io.streamcl.topology.PipelineMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The learner and, unless {@code http.port=-1}, its HTTP server: what {@code run} and {@code demo --serve} start.
 * The server listens first, so that the port it got is the one advertised to the other instances; the learner
 * then starts with that address, and the server answers from it.
 */
public final class ServedLearner implements AutoCloseable {
    private final LearnerApp app;
    private final LearnerServer server;
    private final PrometheusMetrics scraped;
    private final ServedNeighbours neighbours;

    private ServedLearner(LearnerApp app, LearnerServer server, PrometheusMetrics scraped,
            ServedNeighbours neighbours) {
        this.app = app;
        this.server = server;
        this.scraped = scraped;
        this.neighbours = neighbours;
    }

    /**
     * @throws CannotListenException when the server cannot take its address (nothing is left running)
     */
    public static ServedLearner start(Settings settings, ItemKinds kinds) {
        HttpSettings http = HttpSettings.from(settings);
        if (!http.enabled()) {
            return new ServedLearner(LearnerApp.start(settings, kinds, new PipelineMetrics()), null, null, null);
        }
        PrometheusMetrics scraped = PrometheusMetrics.create();
        LearnerServer server = null;
        ServedNeighbours neighbours = new ServedNeighbours();
        try {
            server = LearnerServer.start(http, scraped);
            LearnerApp app = LearnerApp.start(settings, kinds, new PipelineMetrics(scraped.registry()),
                    Optional.of(new HostInfo(advertisedHost(http.host()), server.port())), neighbours.updates());
            app.bindClientMetrics(scraped.registry());
            server.attach(app.queries().orElseThrow(), kinds.all().stream().map(ItemKind::name).toList());
            server.showOnDashboard(app.metrics(), kinds.all().stream().map(ItemKind::name).toList());
            server.attachNeighbours(neighbours.start(app.queries().orElseThrow(), kinds));
            return new ServedLearner(app, server, scraped, neighbours);
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            }
            neighbours.close();
            scraped.close();
            throw e;
        }
    }

    /** The address other instances reach this one at: a wildcard bind is advertised as this machine's address. */
    static String advertisedHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public LearnerApp app() {
        return app;
    }

    public PipelineMetrics metrics() {
        return app.metrics();
    }

    /** The HTTP port, when there is a server. */
    public OptionalInt httpPort() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        app.close();
        if (neighbours != null) {
            neighbours.close();
        }
        if (scraped != null) {
            scraped.close();
        }
    }
}
