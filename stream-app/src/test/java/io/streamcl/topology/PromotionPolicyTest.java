package io.streamcl.topology;

import static io.streamcl.topology.PromotionPolicy.Decision.PINNED;
import static io.streamcl.topology.PromotionPolicy.Decision.PROMOTE;
import static io.streamcl.topology.PromotionPolicy.Decision.WAIT_FOR_BACKFILL;
import static io.streamcl.topology.PromotionPolicy.Decision.WAIT_FOR_INTERVAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromotionPolicyTest {
    private static final PromotionPolicy.Plan PLAN = new PromotionPolicy.Plan(0.05f, Duration.ofSeconds(30),
            Duration.ofMinutes(5));
    private static final long T = 1_000_000L;

    @Test
    void shouldPromoteAtOnceWhenNothingIsServed() {
        assertThat(PromotionPolicy.decide(PLAN, false, -1, false, false, T)).isEqualTo(PROMOTE);
    }

    @Test
    void shouldNeverPromoteOverAPin() {
        assertThat(PromotionPolicy.decide(PLAN, true, -1, true, true, T)).isEqualTo(PINNED);
        assertThat(PromotionPolicy.decide(PLAN, true, T - 3_600_000, true, true, T)).isEqualTo(PINNED);
    }

    @Test
    void shouldNotOutrunTheServedVersionsBackfillUnlessItWaitedTooLong() {
        assertThat(PromotionPolicy.decide(PLAN, false, T - 60_000, false, true, T)).isEqualTo(WAIT_FOR_BACKFILL);
        assertThat(PromotionPolicy.decide(PLAN, false, T - 300_000, false, false, T)).isEqualTo(PROMOTE);
        assertThat(PromotionPolicy.decide(PLAN, false, T - 60_000, true, false, T)).isEqualTo(PROMOTE);
    }

    @Test
    void shouldPromoteAtMostOncePerIntervalButAnIdleSnapshotAtOnce() {
        assertThat(PromotionPolicy.decide(PLAN, false, T - 10_000, true, false, T)).isEqualTo(WAIT_FOR_INTERVAL);
        assertThat(PromotionPolicy.decide(PLAN, false, T - 10_000, true, true, T)).isEqualTo(PROMOTE);
        assertThat(PromotionPolicy.decide(PLAN, false, T - 30_000, true, false, T)).isEqualTo(PROMOTE);
    }
}
