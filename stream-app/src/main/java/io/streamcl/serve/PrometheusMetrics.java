package io.streamcl.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * {@code GET /metrics}: the app's registry in Prometheus' text format. The pipeline's own meters
 * ({@code streamcl_*}) are registered in it, Kafka Streams' client metrics are bound to it by the learner, and the
 * JVM's (memory, GC, threads, CPU) here.
 */
public final class PrometheusMetrics implements AutoCloseable {
    /** Prometheus' classic text format, what every scraper reads. */
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Asked for by newer scrapers in their Accept header. */
    static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private PrometheusMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
        this.registry = registry;
        this.gc = gc;
    }

    /** A registry with the JVM's meters bound. */
    public static PrometheusMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return new PrometheusMetrics(registry, gc);
    }

    /** Where the app's meters go. */
    public MeterRegistry registry() {
        return registry;
    }

    /** @param accept the request's Accept header, null when absent */
    Reply scrape(String accept) {
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPEN_METRICS : TEXT;
        return new Reply(200, type, registry.scrape(type));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
