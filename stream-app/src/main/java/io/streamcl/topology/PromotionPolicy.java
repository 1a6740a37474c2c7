package io.streamcl.topology;

import java.time.Duration;

/**
 * When a kind's trainer promotes a snapshot that passed the gate: never over a version pinned by hand; at
 * once when nothing is served; otherwise only once the served version is complete on every partition (or
 * has waited {@code maxWait} for it), so that consumers see one complete version after another; and at
 * most once per {@code interval}, except for the snapshot the trainer made when it went idle.
 */
final class PromotionPolicy {
    /** The settings, already validated. */
    record Plan(float tolerance, Duration interval, Duration maxWait) {}

    /** What the trainer does with its candidate now. */
    enum Decision { PROMOTE, WAIT_FOR_BACKFILL, WAIT_FOR_INTERVAL, PINNED }

    private PromotionPolicy() {}

    /**
     * @param servedSinceMillis when the served version was promoted; negative when nothing is served
     * @param servedComplete whether every partition marked the served version complete
     * @param candidateIdle whether the candidate is the snapshot made when the trainer went idle
     */
    static Decision decide(Plan plan, boolean pinned, long servedSinceMillis, boolean servedComplete,
            boolean candidateIdle, long nowMillis) {
        if (pinned) {
            return Decision.PINNED;
        }
        if (servedSinceMillis < 0) {
            return Decision.PROMOTE;
        }
        long served = nowMillis - servedSinceMillis;
        if (!servedComplete && served < plan.maxWait().toMillis()) {
            return Decision.WAIT_FOR_BACKFILL;
        }
        if (!candidateIdle && served < plan.interval().toMillis()) {
            return Decision.WAIT_FOR_INTERVAL;
        }
        return Decision.PROMOTE;
    }
}
