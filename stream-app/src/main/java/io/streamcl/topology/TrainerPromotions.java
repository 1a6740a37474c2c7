package io.streamcl.topology;

import io.streamcl.schema.EmbeddingStatus;
import io.streamcl.schema.ModelSnapshot;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kind's trainer's side of serving: which version is served, and its candidate, the newest snapshot that
 * passed the gate and is not served yet, which it promotes when {@link PromotionPolicy} says so.
 *
 * <p>The served version is the one pinned by hand, else the gate's newest promotion, counting one this trainer
 * made that the global store has not read back yet. The candidate survives a restart: it is the newest snapshot
 * on the models topic, or, while a newer one was refused, kept as a {@link WaitingCandidate}. It also survives a
 * pin: when serving is handed back to the gate, the candidate is what the gate promotes next.
 */
final class TrainerPromotions {
    private static final Logger LOG = LoggerFactory.getLogger(TrainerPromotions.class);

    private final String kind;
    private final PromotionPolicy.Plan plan;
    private final ReadOnlyKeyValueStore<String, ModelSnapshot> models;
    private final ReadOnlyKeyValueStore<String, EmbeddingStatus> statuses;
    private final WaitingCandidate waiting;
    private ModelSnapshot candidate;
    /** Whether the candidate is the snapshot the trainer made when it went idle (it need not wait the interval). */
    private boolean candidateIdle;
    /** What this trainer promoted last: the global store shows it only once it has read it back. */
    private ModelSnapshot promoted;
    private PromotionPolicy.Decision lastDecision;

    /**
     * @param models the global store of the models topic
     * @param statuses the global store of the embedders' completion markers
     * @param checkpoints the trainer's own changelogged store, where a waiting candidate is kept
     */
    TrainerPromotions(String kind, PromotionPolicy.Plan plan, ReadOnlyKeyValueStore<String, ModelSnapshot> models,
            ReadOnlyKeyValueStore<String, EmbeddingStatus> statuses, KeyValueStore<String, byte[]> checkpoints) {
        this.kind = kind;
        this.plan = plan;
        this.models = models;
        this.statuses = statuses;
        this.waiting = new WaitingCandidate(checkpoints, kind);
    }

    /**
     * After a restart: the snapshot that passed the gate before it and was not promoted, the newest or one kept
     * while a newer one was refused.
     *
     * @param newest the kind's newest snapshot on the models topic; null when there is none
     */
    void restore(ModelSnapshot newest) {
        ModelSnapshot c = newest != null && passed(newest) ? newest : null;
        ModelSnapshot kept = keptBeforeRestart();
        if (kept != null && (c == null || kept.getVersion() > c.getVersion())) {
            c = kept; // the newer of the two, should the global store lag behind what the trainer kept
        }
        ModelSnapshot served = gateServed();
        if (c != null && (served == null || c.getVersion() > served.getVersion())) {
            candidate = c;
            // made when the trainer went idle: as before the restart, it need not wait for promotion.interval.ms
            candidateIdle = c.getMetrics().getOrDefault("caught_up", 0.0) == 1.0;
            LOG.info("{} trainer: v{} passed the gate before the restart and waits to be promoted", kind,
                    c.getVersion());
        }
        if (kept != null && kept != candidate) {
            waiting.clear(); // served already, or older than the newest snapshot that passed
        }
    }

    /** The waiting candidate kept before a restart; null when there is none or it cannot be read. */
    private ModelSnapshot keptBeforeRestart() {
        try {
            return waiting.restore().orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.warn("{} trainer cannot read the candidate it kept ({}); it waits for its next one", kind,
                    e.getMessage());
            waiting.clear();
            return null;
        }
    }

    static boolean passed(ModelSnapshot s) {
        return s.getGate() != null && s.getGate().startsWith("passed");
    }

    /** The served version: the pinned one, else the gate's; null when none is yet. */
    ModelSnapshot served() {
        return ServedModels.pinned(models, kind) ? ServedModels.served(models, kind).orElseThrow() : gateServed();
    }

    /** The gate's newest promotion, a pin aside, counting one not read back yet; null when there is none. */
    private ModelSnapshot gateServed() {
        ModelSnapshot inStore = models.get(ModelSnapshots.servedKey(kind));
        return promoted != null && (inStore == null || inStore.getVersion() < promoted.getVersion()) ? promoted
                : inStore;
    }

    /**
     * A snapshot was published: one that passed is the new candidate; after a refused one, the candidate (if any)
     * is no longer the newest snapshot, so it is kept where a restart finds it.
     *
     * @param idle whether the snapshot was made when the trainer went idle
     */
    void published(ModelSnapshot s, boolean idle) {
        if (passed(s)) {
            candidate = s;
            candidateIdle = idle;
            waiting.clear();
        } else if (candidate != null) {
            waiting.keep(candidate);
        }
    }

    /** The newest snapshot was published again as caught up: it becomes the candidate, if it passed and is not served. */
    void confirmedIdle(ModelSnapshot s) {
        ModelSnapshot served = gateServed();
        if (passed(s) && (served == null || served.getVersion() < s.getVersion())) {
            candidate = s;
            candidateIdle = true;
            waiting.clear();
        }
    }

    /**
     * The candidate promoted, when the policy says so now: the record to forward under the kind's served key.
     */
    Optional<ModelSnapshot> promotion(long now) {
        if (candidate == null) {
            return Optional.empty();
        }
        ModelSnapshot gate = gateServed();
        if (gate != null && candidate.getVersion() <= gate.getVersion()) {
            forgetCandidate(); // the gate serves it, or a newer one, already
            return Optional.empty();
        }
        ModelSnapshot served = served(); // a pinned version, newer or older, holds the candidate back until unpinned
        long since = served == null ? -1 : served.getPromotion() == null ? served.getCreatedTime().toEpochMilli()
                : served.getPromotion().getTime().toEpochMilli();
        boolean complete = served != null && EmbeddingStatuses.complete(statuses, kind, served.getVersion());
        PromotionPolicy.Decision d = PromotionPolicy.decide(plan, ServedModels.pinned(models, kind), since, complete,
                candidateIdle, now);
        if (d != PromotionPolicy.Decision.PROMOTE) {
            if (d != lastDecision) {
                LOG.info("{}: v{} passed the gate and waits {}; v{} is served", kind, candidate.getVersion(),
                        switch (d) {
                            case WAIT_FOR_BACKFILL -> "for the served version's backfill to complete";
                            case WAIT_FOR_INTERVAL -> "for promotion.interval.ms to pass";
                            default -> "while a version is pinned";
                        }, served.getVersion());
            }
            lastDecision = d;
            return Optional.empty();
        }
        String mode = candidateIdle ? "idle" : "auto";
        String reason = served == null ? "first version" : complete
                ? "passed the gate; v" + served.getVersion() + " is complete on every partition"
                : "passed the gate; v" + served.getVersion() + " waited the longest allowed for its backfill";
        promoted = ModelSnapshots.promoted(candidate, mode, reason, Instant.ofEpochMilli(now));
        LOG.info("{}: v{} promoted ({}): {}", kind, candidate.getVersion(), mode, reason);
        forgetCandidate();
        return Optional.of(promoted);
    }

    private void forgetCandidate() {
        candidate = null;
        waiting.clear();
        lastDecision = null;
    }
}
