package io.streamcl.bench;

/**
 * The rate fresh items are offered at in the latency and backfill sections: as given, else half the pipeline's
 * sustained rate. That rate comes from the throughput section when it ran, else it is measured here, once.
 */
public final class OfferedRate {
    private final BenchRun run;
    private double pipelineSustained = Double.NaN;

    public OfferedRate(BenchRun run) {
        this.run = run;
    }

    /** The pipeline's median sustained rate, as the throughput section measured it. */
    public void measured(double pipelineSustained) {
        this.pipelineSustained = pipelineSustained;
    }

    /** {@code given} if positive, else half the pipeline's sustained rate. */
    public double offered(double given) throws InterruptedException {
        if (given > 0) {
            return given;
        }
        if (!(pipelineSustained > 0)) {
            System.out.println("bench: measuring the pipeline's sustained rate first (half of it is offered)");
            pipelineSustained = run.pipeline("streamcl-bench-rate").sustainedItemsPerSecond();
        }
        return pipelineSustained / 2;
    }
}
